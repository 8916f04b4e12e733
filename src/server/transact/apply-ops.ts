import type { AttrRegistry } from '../store/attr-registry.ts';
import type { Attr } from '../store/attr.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { checkRequiredAttrs } from './check-required.ts';
import { checkTriple } from './check-value.ts';
import { deepMerge } from './deep-merge.ts';
import { inferValueType } from '../store/inferred-types.ts';
import { isSystemColumn } from './system-catalog.ts';
import type { Op } from './ops.ts';

/**
 * Applies ops in order to SQLite (the caller holds the transaction). Cardinality-one attributes keep
 * their last value; a link whose reverse side is has-one may have only one source (`checkTriple`);
 * touched entities must end with their required attributes (`checkRequiredAttrs`); each value written
 * adds its type to its attribute's inferred types. A `delete-entity`
 * deletes that entity only: its cascade is expanded into ops beforehand ({@link cascadeDeletes}).
 */
export function applyOps(registry: AttrRegistry, store: TripleStore, ops: readonly Op[], now: number): void {
  for (const op of ops) {
    switch (op.kind) {
      case 'add-triple':
        inferType(registry, op.attr, op.value);
        addTriple(store, op.e, op.attr, op.value, now);
        break;
      case 'merge': {
        inferType(registry, op.attr, op.patch);
        const old = store.values(op.e, op.attr.id)[0]?.v;
        addTriple(store, op.e, op.attr, deepMerge(old, op.patch), now);
        break;
      }
      case 'retract':
        store.remove(op.e, op.attr.id, op.value);
        break;
      case 'delete-entity':
        removeEntity(registry, store, op.e, op.ns);
        break;
    }
  }
  checkRequiredAttrs(registry, store);
}

/**
 * Records the type of a value written to an attribute (for a merge, the patch's), as Instant does for
 * every triple it writes, except on system attributes (Instant's catalog app keeps theirs fixed).
 */
function inferType(registry: AttrRegistry, attr: Attr, value: unknown): void {
  const type = inferValueType(value);
  if (type && !isSystemColumn(attr.ns, attr.label)) registry.addInferredType(attr.id, type);
}

function addTriple(store: TripleStore, e: string, attr: Attr, value: unknown, now: number): void {
  checkTriple(store, attr, value, e);
  if (attr.cardinality === 'one') {
    const current = store.values(e, attr.id);
    if (current.length === 1 && JSON.stringify(current[0]!.v) === JSON.stringify(value)) return;
    // Nothing to clear on a new value (every attribute of a new entity): the insert below touches (e, a).
    if (current.length > 0) store.clear(e, attr.id);
  }
  store.insert(e, attr.id, value, now);
}

/** An entity an `onDelete: 'cascade'` link deletes along with `root`, the entity a step deleted. */
export interface CascadedDelete {
  readonly e: string;
  readonly ns: string;
  readonly root: { readonly e: string; readonly ns: string };
}

/**
 * Every entity that deleting `roots` deletes through `onDelete: 'cascade'` links (both directions,
 * recursively), read from the state before the transaction writes, as Instant expands them before its
 * permission checks. Each child names the root it was reached from; roots themselves are not repeated.
 */
export function cascadeDeletes(
  registry: AttrRegistry,
  store: TripleStore,
  roots: readonly { readonly e: string; readonly ns: string }[],
): CascadedDelete[] {
  if (roots.length === 0) return [];
  const seen = new Set(roots.map(({ e, ns }) => `${ns}\u0000${e}`));
  const found: CascadedDelete[] = [];
  const queue = roots.map((root) => ({ e: root.e, ns: root.ns, root }));
  const refs = registry.all().filter((attr) => attr.valueType === 'ref');
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const [child, childNs] of cascadeChildren(refs, store, next.e, next.ns)) {
      const key = `${childNs}\u0000${child}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entry = { e: child, ns: childNs, root: next.root };
      found.push(entry);
      queue.push(entry);
    }
  }
  return found;
}

function cascadeChildren(refs: readonly Attr[], store: TripleStore, e: string, ns: string): [string, string][] {
  const children: [string, string][] = [];
  for (const attr of refs) {
    if (attr.revNs === ns && attr.onDelete === 'cascade')
      for (const triple of store.withValue(attr.id, e)) children.push([triple.e, attr.ns]);
    if (attr.ns === ns && attr.onDeleteReverse === 'cascade')
      for (const triple of store.values(e, attr.id)) children.push([String(triple.v), attr.revNs!]);
  }
  return children;
}

/**
 * Deletes an entity's triples in `ns` and every link pointing at it (not its cascade: see
 * {@link cascadeDeletes}).
 */
export function removeEntity(registry: AttrRegistry, store: TripleStore, e: string, ns: string): void {
  for (const triple of store.ofEntity(e)) {
    if (registry.byId(triple.a)?.ns === ns) store.remove(e, triple.a, triple.v);
  }
  for (const attr of registry.all()) if (attr.valueType === 'ref' && attr.revNs === ns) store.removeValue(attr.id, e);
}

/**
 * Deletes an entity and everything its `onDelete: 'cascade'` links delete with it.
 */
export function deleteEntity(registry: AttrRegistry, store: TripleStore, e: string, ns: string): void {
  const cascaded = cascadeDeletes(registry, store, [{ e, ns }]);
  removeEntity(registry, store, e, ns);
  for (const child of cascaded) removeEntity(registry, store, child.e, child.ns);
}
