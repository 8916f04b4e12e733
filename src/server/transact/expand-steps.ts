import { validationFailed } from '../http/api-error.ts';
import type { Attr } from '../store/attr.ts';
import { parseAttr } from './parse-attr.ts';
import type { ParsedStep } from './parse-steps.ts';
import type { Op } from './ops.ts';
import { resolveRef } from './resolve-ref.ts';
import { dataAttr, idAttr, linkEnd, type TxContext } from './tx-context.ts';

/** Problems found while expanding, reported together after every step was looked at. */
interface ModeProblems {
  readonly exist: string[];
  readonly missing: string[];
}

/**
 * Turns parsed steps into internal ops, creating missing attributes (or collecting them when the
 * request forbids that), resolving lookups, and checking `create` / strict `update` against the state
 * before the transaction. Also returns the `ruleParams` given per entity.
 */
export function expandSteps(
  ctx: TxContext,
  steps: readonly ParsedStep[],
): { ops: Op[]; ruleParams: Map<string, Record<string, unknown>> } {
  const ops: Op[] = [];
  const ruleParams = new Map<string, Record<string, unknown>>();
  const problems: ModeProblems = { exist: [], missing: [] };
  for (const step of steps) expandStep(ctx, step, ops, ruleParams, problems);
  if (ctx.missing.size > 0) {
    const attributes = [...ctx.missing];
    throw validationFailed('steps', steps, ['Attributes are missing in your schema'], [{ hint: { attributes } }]);
  }
  if (problems.exist.length > 0)
    throw validationFailed('tx-step', steps, [`Creating entities that exist: ${problems.exist.join(', ')}`]);
  if (problems.missing.length > 0)
    throw validationFailed('tx-step', steps, [`Updating entities that don't exist: ${problems.missing.join(', ')}`]);
  return { ops, ruleParams };
}

function expandStep(
  ctx: TxContext,
  step: ParsedStep,
  ops: Op[],
  ruleParams: Map<string, Record<string, unknown>>,
  problems: ModeProblems,
): void {
  switch (step.action) {
    case 'add-attr':
      addAttr(ctx, parseAttr(step.attr), step.attr);
      return;
    case 'delete-attr':
      // Attribute changes take effect at once: Instant runs them before any triple, and later steps
      // of the same request must see them.
      ctx.registry.remove(step.id);
      return;
    case 'delete': {
      const e = resolveRef(ctx, step.ns, step.ref, false);
      if (e) ops.push({ kind: 'delete-entity', e, ns: step.ns });
      return;
    }
    case 'ruleParams': {
      const e = resolveRef(ctx, step.ns, step.ref, false);
      if (e) ruleParams.set(`${step.ns}\u0000${e}`, { ...ruleParams.get(`${step.ns}\u0000${e}`), ...step.args });
      return;
    }
    case 'link':
    case 'unlink':
      expandLinks(ctx, step, ops);
      return;
    default:
      expandAttrs(ctx, step, ops, problems);
  }
}

function expandAttrs(
  ctx: TxContext,
  step: Extract<ParsedStep, { args: unknown }>,
  ops: Op[],
  problems: ModeProblems,
): void {
  const ids = idAttr(ctx, step.ns);
  const e = resolveRef(ctx, step.ns, step.ref, true);
  if (!e) return;
  const exists = entityExists(ctx, e, step.ns);
  if (step.action === 'create' && exists) problems.exist.push(e);
  if (step.upsert === false && !exists) problems.missing.push(e);
  if (ids) ops.push({ kind: 'add-triple', e, attr: ids, value: e });
  for (const [label, value] of Object.entries(step.args)) {
    const link = ctx.registry.link(step.ns, label);
    if (link) {
      if (step.action === 'merge')
        throw validationFailed('tx-step', step, ['merge operation is not supported for links']);
      pushLink(ops, 'add-triple', e, link.attr, link.forward, String(value));
      continue;
    }
    const attr = dataAttr(ctx, step.ns, label);
    if (!attr) continue;
    ops.push(
      step.action === 'merge' ? { kind: 'merge', e, attr, patch: value } : { kind: 'add-triple', e, attr, value },
    );
  }
}

function expandLinks(ctx: TxContext, step: Extract<ParsedStep, { links: unknown }>, ops: Op[]): void {
  idAttr(ctx, step.ns);
  const e = resolveRef(ctx, step.ns, step.ref, true);
  if (!e) return;
  for (const [label, targets] of step.links) {
    const link = linkEnd(ctx, step.ns, label);
    if (!link) {
      if (!ctx.throwOnMissing) throw validationFailed('tx-step', step, [`${step.ns}.${label} is not a link`]);
      continue;
    }
    for (const target of targets) {
      const other = resolveRef(ctx, link.target, target, false);
      if (!other) {
        if (target.kind === 'lookup' && !ctx.throwOnMissing)
          throw validationFailed('lookup', target, ['The entity for the lookup does not exist.']);
        continue;
      }
      pushLink(ops, step.action === 'link' ? 'add-triple' : 'retract', e, link.attr, link.forward, other);
    }
  }
}

function pushLink(
  ops: Op[],
  kind: 'add-triple' | 'retract',
  e: string,
  attr: Attr,
  forward: boolean,
  other: string,
): void {
  const [source, target] = forward ? [e, other.toLowerCase()] : [other.toLowerCase(), e];
  ops.push({ kind, e: source, attr, value: target });
}

function addAttr(ctx: TxContext, attr: Attr, input: unknown): void {
  const taken =
    ctx.registry.forward(attr.ns, attr.label) ??
    (attr.revNs ? ctx.registry.reverse(attr.revNs, attr.revLabel!) : undefined);
  if (taken || ctx.registry.byId(attr.id))
    throw validationFailed('attr', input, [`The attribute ${attr.ns}.${attr.label} already exists.`]);
  ctx.registry.add(attr);
}

/**
 * True when the entity has any triple in the namespace (Instant's test for "exists").
 */
export function entityExists(ctx: TxContext, e: string, ns: string): boolean {
  return ctx.store.ofEntity(e).some((triple) => ctx.registry.byId(triple.a)?.ns === ns);
}
