import { entityKey, type EntityData } from '../transact/entity-change.ts';
import { deepMerge } from '../transact/deep-merge.ts';
import type { Op } from '../transact/ops.ts';

/**
 * Each entity with the transaction's writes applied in memory, in step order (Instant's
 * `update-entities-map`, the `newData` of update and link checks): a write sets the label, a merge
 * deep-merges into it, a retract removes it. Entities no op writes keep their state before.
 */
export function updatedEntities(
  before: ReadonlyMap<string, EntityData | undefined>,
  ops: readonly Op[],
): Map<string, EntityData | undefined> {
  const updated = new Map<string, EntityData | undefined>(before);
  for (const op of ops) {
    if (op.kind === 'delete-entity') continue;
    const key = entityKey(op.attr.ns, op.e);
    const entity: Record<string, unknown> = { ...updated.get(key) };
    const label = op.attr.label;
    if (op.kind === 'add-triple') entity[label] = op.value;
    else if (op.kind === 'merge') entity[label] = deepMerge(entity[label], op.patch);
    else delete entity[label];
    updated.set(key, entity);
  }
  return updated;
}

/**
 * `request.modifiedFields` of every entity: the labels the transaction writes or merges on it, in
 * order, once each, without `id` — by entity id alone, whatever its namespace, as Instant matches them.
 */
export function modifiedFields(ops: readonly Op[]): Map<string, string[]> {
  const fields = new Map<string, Set<string>>();
  for (const op of ops) {
    if ((op.kind !== 'add-triple' && op.kind !== 'merge') || op.attr.label === 'id') continue;
    const labels = fields.get(op.e) ?? new Set<string>();
    labels.add(op.attr.label);
    fields.set(op.e, labels);
  }
  return new Map([...fields].map(([e, labels]) => [e, [...labels]]));
}
