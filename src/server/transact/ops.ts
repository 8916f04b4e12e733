import type { Attr } from '../store/attr.ts';

/**
 * The internal operations entity steps expand to; applied grouped by kind, in first-appearance order
 * (spec §3.2). Attribute steps are not ops: they take effect during expansion, before any triple.
 */
export type Op =
  | { readonly kind: 'add-triple'; readonly e: string; readonly attr: Attr; readonly value: unknown }
  | { readonly kind: 'merge'; readonly e: string; readonly attr: Attr; readonly patch: unknown }
  | { readonly kind: 'retract'; readonly e: string; readonly attr: Attr; readonly value: unknown }
  | { readonly kind: 'delete-entity'; readonly e: string; readonly ns: string };

/**
 * Orders ops as Instant does: grouped by kind, groups in the order each kind first appears, each
 * group keeping its own order.
 */
export function groupOps(ops: readonly Op[]): Op[] {
  const groups = new Map<Op['kind'], Op[]>();
  for (const op of ops) {
    const group = groups.get(op.kind);
    if (group) group.push(op);
    else groups.set(op.kind, [op]);
  }
  return [...groups.values()].flat();
}
