import { isUuid } from '../../protocol/uuid.ts';
import { validationFailed } from '../api/api-error.ts';
import type { LinkEnd } from '../store/attr-registry.ts';
import { invalidLinkValue } from './check-value.ts';
import { pushLink } from './expand-links.ts';
import { checkNoNulBytes } from './nul-bytes.ts';
import type { Op } from './ops.ts';
import type { ParsedStep, Ref } from './parse-steps.ts';
import { lookupLabel, resolveRef } from './resolve-ref.ts';
import { dataAttr, idAttr, type TxContext } from './tx-context.ts';

/** Entities `create` / strict `update` steps were wrong about, reported together after every step. */
export interface ModeProblems {
  readonly exist: string[];
  readonly missing: string[];
}

type AttrsStep = Extract<ParsedStep, { args: unknown }>;

/** Instant's message when a lookup that creates its entity also writes the lookup's own attribute. */
const LOOKUP_WRITES_ITSELF =
  'Updates with lookups can only update the lookup attribute if an entity with the unique attribute value already exists.';

/**
 * Expands a `create` / `update` / `merge` step into ops: the entity's `id` triple, then one triple per
 * attribute (a link label writes the link; its value must be an entity id). Whether the entity existed
 * is judged on the state before the transaction, as Instant does: a lookup that creates its entity
 * makes a valid `create` and a failing strict `update`.
 */
export function expandAttrs(ctx: TxContext, step: AttrsStep, ops: Op[], problems: ModeProblems): void {
  const ids = idAttr(ctx, step.ns);
  const e = resolveRef(ctx, step.ns, step.ref, true);
  if (!e) return;
  const existed = !ctx.created.has(e) && entityExists(ctx, e, step.ns);
  if (step.action === 'create' && existed) problems.exist.push(describeRef(ctx, step.ns, step.ref, e));
  if (step.upsert === false && !existed) problems.missing.push(describeRef(ctx, step.ns, step.ref, e));
  if (step.ref.kind === 'lookup' && ctx.created.has(e) && step.action !== 'merge') {
    if (Object.hasOwn(step.args, lookupLabel(ctx, step.ns, step.ref)))
      throw validationFailed('lookup', [[step.ref.attr, step.ref.value]], [LOOKUP_WRITES_ITSELF]);
  }
  if (ids) ops.push({ kind: 'add-triple', e, attr: ids, value: e });
  for (const [label, value] of Object.entries(step.args)) {
    checkNoNulBytes(value);
    const link = ctx.registry.link(step.ns, label);
    if (link) {
      if (step.action === 'merge')
        throw validationFailed('tx-step', step, ['merge operation is not supported for links']);
      pushLink(ops, 'add-triple', e, link.attr, link.forward, linkTarget(link, value, e));
      continue;
    }
    const attr = dataAttr(ctx, step.ns, label);
    if (!attr) continue;
    ops.push(
      step.action === 'merge' ? { kind: 'merge', e, attr, patch: value } : { kind: 'add-triple', e, attr, value },
    );
  }
}

/** The target of a link label written by `update`: an entity id, never anything else. */
function linkTarget(link: LinkEnd, value: unknown, e: string): string {
  if (isUuid(value)) return value as string;
  throw invalidLinkValue(link.attr, value, e);
}

/** How Instant names an entity in a mode error: its id, or the lookup as `[#uuid "attr" value]`. */
function describeRef(ctx: TxContext, ns: string, ref: Ref, e: string): string {
  if (ref.kind === 'id' || ref.attr === 'id') return e;
  const attr = ctx.registry.forward(ns, lookupLabel(ctx, ns, ref));
  return attr ? `[#uuid "${attr.id}" ${JSON.stringify(ref.value)}]` : e;
}

/**
 * True when the entity has any triple in the namespace (Instant's test for "exists").
 */
export function entityExists(ctx: TxContext, e: string, ns: string): boolean {
  return ctx.store.ofEntity(e).some((triple) => ctx.registry.byId(triple.a)?.ns === ns);
}
