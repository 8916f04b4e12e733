import { entityData } from '../read/entity-data.ts';
import { EntityReader } from '../read/entity-reader.ts';
import type { AttrRegistry } from '../store/attr-registry.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { matchesWhere } from './match-where.ts';
import { applyCursors, sortRows } from './order-rows.ts';
import type { CondNode, NamespaceNode, QueryPlan, WhereNode } from './query-plan.ts';

/** How to run a plan: `inference?` turns has-one links into an object (or null); `canView` filters rows. */
export interface QueryOptions {
  readonly inference: boolean;
  /** Permission filter for impersonated requests; omitted for admin requests. */
  readonly canView?: (ns: string, entity: Record<string, unknown>) => boolean;
}

/**
 * Runs a parsed query and returns Instant's object tree: `{label: [{id, ...attrs, child: [...]}, ...]}`.
 * Top-level nodes are filtered, ordered, permission-checked, then paged (cursors, offset, `last` or
 * `limit`); child nodes list the linked rows that match their `where`, in their order. A node with an
 * aggregate, or one naming something that does not exist, has no rows.
 */
export function executeQuery(
  plan: QueryPlan,
  registry: AttrRegistry,
  store: TripleStore,
  options: QueryOptions,
): Record<string, unknown> {
  const reader = new EntityReader(registry, store);
  const result: Record<string, unknown> = {};
  for (const node of plan.nodes)
    result[node.label] = topLevelRows(reader, node, options).map((id) => buildEntity(reader, node, id, options));
  return result;
}

function topLevelRows(reader: EntityReader, node: NamespaceNode, options: QueryOptions): readonly string[] {
  const { where, order, limit, last, offset, after, before, aggregate } = node.options;
  if (node.unresolved !== undefined || aggregate !== undefined) return [];
  const inCreationOrder = order.kind === 'createdAt' && order.direction === 'asc';
  if (limit !== undefined && !where && inCreationOrder && !after && !before && !options.canView)
    return reader.page(node.ns, limit, offset);
  const matched = filterRows(reader, candidates(reader, node.ns, where), where);
  const visible = sortRows(reader, node.ns, matched, order).filter((id) => canView(reader, node.ns, id, options));
  const paged = applyCursors(reader, node.ns, visible, order, after, before).slice(offset);
  if (last !== undefined) return paged.slice(-last);
  return limit === undefined ? paged : paged.slice(0, limit);
}

/**
 * The entities a top-level node must look at: narrowed through the (attribute, value) index by the
 * plain equalities on the namespace's own attributes that the `where` requires, else all of them.
 */
function candidates(reader: EntityReader, ns: string, where: WhereNode | undefined): readonly string[] {
  const required = where === undefined ? [] : where.kind === 'and' ? where.clauses : [where];
  const equalities = required.filter(
    (clause): clause is CondNode & { op: { kind: 'eq' } } =>
      clause.kind === 'cond' &&
      clause.op.kind === 'eq' &&
      !clause.dates &&
      clause.path.links.length === 0 &&
      clause.path.leaf.kind !== 'link',
  );
  if (equalities.length === 0) return reader.all(ns).map(({ id }) => id);
  let ids: Set<string> | undefined;
  for (const cond of equalities) {
    const found = reader.withValue(ns, cond.path.text, cond.op.value);
    ids = new Set(ids ? found.filter((id) => ids!.has(id)) : found);
  }
  return [...ids!].filter((id) => reader.createdAt(id, ns) > 0);
}

function filterRows(reader: EntityReader, ids: readonly string[], where: WhereNode | undefined): readonly string[] {
  return where ? ids.filter((id) => matchesWhere(reader, id, where)) : ids;
}

function canView(reader: EntityReader, ns: string, id: string, options: QueryOptions): boolean {
  return options.canView ? options.canView(ns, entityData(reader, ns, id)) : true;
}

function buildEntity(
  reader: EntityReader,
  node: NamespaceNode,
  id: string,
  options: QueryOptions,
): Record<string, unknown> {
  const data = entityData(reader, node.ns, id);
  const fields = node.options.fields;
  const entity = fields
    ? Object.fromEntries(Object.entries(data).filter(([key]) => key === 'id' || fields.includes(key)))
    : data;
  for (const child of node.children) {
    const link = child.link;
    if (!link) {
      entity[child.label] = [];
      continue;
    }
    const linked = child.unresolved !== undefined || child.options.aggregate ? [] : reader.follow(id, link);
    const matched = filterRows(reader, linked, child.options.where);
    const ids = sortRows(reader, child.ns, matched, child.options.order).filter((childId) =>
      canView(reader, child.ns, childId, options),
    );
    if (options.canView && ids.length === 0) continue;
    const rows = ids.map((childId) => buildEntity(reader, child, childId, options));
    const singular = link.forward ? link.attr.cardinality === 'one' : link.attr.unique;
    entity[child.label] = options.inference && singular ? (rows[0] ?? null) : rows;
  }
  return entity;
}
