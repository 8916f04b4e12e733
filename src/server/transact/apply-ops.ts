import type { AttrRegistry } from '../store/attr-registry.ts';
import type { Attr } from '../store/attr.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { checkUnique, checkValueType } from './check-value.ts';
import { deepMerge } from './deep-merge.ts';
import type { Op } from './ops.ts';

/**
 * Applies ops in order to SQLite (the caller holds the transaction). Cardinality-one attributes keep
 * their last value; a link whose reverse side is has-one may have only one source.
 */
export function applyOps(registry: AttrRegistry, store: TripleStore, ops: readonly Op[], now: number): void {
  for (const op of ops) {
    switch (op.kind) {
      case 'add-triple':
        addTriple(store, op.e, op.attr, op.value, now);
        break;
      case 'merge': {
        const old = store.values(op.e, op.attr.id)[0]?.v;
        addTriple(store, op.e, op.attr, deepMerge(old, op.patch), now);
        break;
      }
      case 'retract':
        store.remove(op.e, op.attr.id, op.value);
        break;
      case 'delete-entity':
        deleteEntity(registry, store, op.e, op.ns, new Set());
        break;
    }
  }
}

function addTriple(store: TripleStore, e: string, attr: Attr, value: unknown, now: number): void {
  if (attr.valueType === 'blob') {
    checkValueType(attr, value, e);
    checkUnique(store, attr, value, e);
  } else if (attr.unique) {
    // The reverse side is has-one: the target keeps a single source.
    store.removeValue(attr.id, value);
  }
  if (attr.cardinality === 'one') {
    const current = store.values(e, attr.id);
    if (current.length === 1 && JSON.stringify(current[0]!.v) === JSON.stringify(value)) return;
    store.clear(e, attr.id);
  }
  store.insert(e, attr.id, value, now);
}

/**
 * Deletes an entity's triples in `ns` and every link pointing at it, then follows `onDelete: 'cascade'`
 * links (both directions) recursively.
 */
export function deleteEntity(
  registry: AttrRegistry,
  store: TripleStore,
  e: string,
  ns: string,
  seen: Set<string>,
): void {
  const key = `${ns}\u0000${e}`;
  if (seen.has(key)) return;
  seen.add(key);
  const cascades: [string, string][] = [];
  for (const attr of registry.all()) {
    if (attr.valueType !== 'ref') continue;
    if (attr.revNs === ns && attr.onDelete === 'cascade') {
      for (const triple of store.withValue(attr.id, e)) cascades.push([triple.e, attr.ns]);
    }
    if (attr.ns === ns && attr.onDeleteReverse === 'cascade') {
      for (const triple of store.values(e, attr.id)) cascades.push([String(triple.v), attr.revNs!]);
    }
  }
  for (const triple of store.ofEntity(e)) {
    if (registry.byId(triple.a)?.ns === ns) store.remove(e, triple.a, triple.v);
  }
  for (const attr of registry.all()) if (attr.valueType === 'ref' && attr.revNs === ns) store.removeValue(attr.id, e);
  for (const [child, childNs] of cascades) deleteEntity(registry, store, child, childNs, seen);
}
