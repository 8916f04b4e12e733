import { validationFailed } from '../api/api-error.ts';
import type { Attr } from '../store/attr.ts';
import type { Op } from './ops.ts';
import type { ParsedStep, Ref } from './parse-steps.ts';
import { findRef, lookupLabel, resolveRef } from './resolve-ref.ts';
import { idAttr, linkEnd, type TxContext } from './tx-context.ts';

/**
 * Expands a `link` / `unlink` step into link triples to add or retract. The source entity is resolved
 * (a lookup creates it); each target must be found: a `link` to a lookup that finds nothing is an error
 * (with or without `throw-on-missing-attrs?`), an `unlink` of one is a no-op.
 */
export function expandLinks(ctx: TxContext, step: Extract<ParsedStep, { links: unknown }>, ops: Op[]): void {
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
      const other = step.action === 'unlink' ? findRef(ctx, link.target, target) : findTarget(ctx, link.target, target);
      if (other) pushLink(ops, step.action === 'link' ? 'add-triple' : 'retract', e, link.attr, link.forward, other);
    }
  }
}

/** A link target's id; a lookup that finds nothing is Instant's "The entity for the lookup does not exist." */
function findTarget(ctx: TxContext, ns: string, target: Ref): string | undefined {
  const other = resolveRef(ctx, ns, target, false);
  if (other || target.kind !== 'lookup') return other;
  const attr = ctx.registry.forward(ns, lookupLabel(ctx, ns, target));
  // Without the attribute, throw-on-missing-attrs? already reports it as missing.
  if (!attr) return undefined;
  throw validationFailed('lookup', { 'attribute-id': attr.id, namespace: ns, label: attr.label, value: target.value }, [
    'The entity for the lookup does not exist.',
  ]);
}

/**
 * Adds the op for one link between `e` and `other` through `attr`, stored from the forward side.
 */
export function pushLink(
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
