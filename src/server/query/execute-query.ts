import { setField } from '../../protocol/json.ts';
import { entityData } from '../read/entity-data.ts';
import { EntityReader } from '../read/entity-reader.ts';
import type { AttrRegistry } from '../store/attr-registry.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { matchesWhere } from './match-where.ts';
import { applyCursors, sortRows } from './order-rows.ts';
import type { CondNode, NamespaceNode, QueryPlan, WhereNode } from './query-plan.ts';
import { ReadGuard, type ReadPolicy } from './read-guard.ts';

/** How to run a plan: `inference?` turns has-one links into an object (or null). */
export interface QueryOptions {
  readonly inference: boolean;
  /** What an impersonated caller may see (view and field rules); omitted for admin requests. */
  readonly policy?: ReadPolicy;
  /**
   * The download address of the file stored at a location id: each `$files` row gets its `url` from it
   * at read time (as Instant signs one per read), so it follows the server's current address.
   */
  readonly fileUrl?: (locationId: string) => string;
}

/** One run of a plan: the reader, the guard of an impersonated query (cached rule results), `inference?`. */
interface Run {
  readonly reader: EntityReader;
  readonly guard: ReadGuard | undefined;
  readonly inference: boolean;
  readonly fileUrl: ((locationId: string) => string) | undefined;
}

/**
 * Runs a parsed query and returns Instant's object tree: `{label: [{id, ...attrs, child: [...]}, ...]}`.
 * Top-level nodes are filtered, ordered, permission-checked, then paged (cursors, offset, `last` or
 * `limit`); child nodes list the linked rows that match their `where`, in their order. A node with an
 * aggregate, or one naming something that does not exist, has no rows.
 *
 * With a `policy`, rows, the entities a `where` path or a child node reaches through, and fields are
 * what the caller may view (see {@link ReadGuard}); a child node left with no rows is omitted.
 */
export function executeQuery(
  plan: QueryPlan,
  registry: AttrRegistry,
  store: TripleStore,
  options: QueryOptions,
  edges?: Map<string, PageEdges>,
): Record<string, unknown> {
  const reader = new EntityReader(registry, store);
  const guard = options.policy ? new ReadGuard(reader, options.policy) : undefined;
  const run: Run = { reader, guard, inference: options.inference, fileUrl: options.fileUrl };
  const result: Record<string, unknown> = {};
  for (const node of plan.nodes) {
    const ids = edges ? pageWithEdges(run, node, edges) : topLevelRows(run, node);
    setField(
      result,
      node.label,
      ids.map((id) => buildEntity(run, node, id)),
    );
  }
  return result;
}

/**
 * What one run learned about rows past a page's ends: a plain `limit` (or `last`) page read one row
 * more than it returns, so whether another page follows (precedes) is known without asking again.
 */
export interface PageEdges {
  readonly next?: boolean;
  readonly previous?: boolean;
}

/** The node's page, read with one row to spare where that answers {@link PageEdges}. */
function pageWithEdges(run: Run, node: NamespaceNode, edges: Map<string, PageEdges>): readonly string[] {
  const { limit, last, before, after } = node.options;
  if (limit !== undefined && before === undefined && last === undefined) {
    const ids = topLevelRows(run, { ...node, options: { ...node.options, limit: limit + 1 } });
    edges.set(node.label, { next: ids.length > limit });
    return ids.length > limit ? ids.slice(0, limit) : ids;
  }
  if (last !== undefined && after === undefined && limit === undefined) {
    const ids = topLevelRows(run, { ...node, options: { ...node.options, last: last + 1 } });
    edges.set(node.label, { previous: ids.length > last });
    return ids.length > last ? ids.slice(1) : ids;
  }
  return topLevelRows(run, node);
}

function topLevelRows(run: Run, node: NamespaceNode): readonly string[] {
  const { reader, guard } = run;
  const { where, order, limit, last, offset, after, before, aggregate } = node.options;
  if (node.unresolved !== undefined || aggregate !== undefined) return [];
  const inCreationOrder = order.kind === 'createdAt' && order.direction === 'asc';
  if (limit !== undefined && inCreationOrder && !after && !before && equalitiesOf(where).length === 0) {
    return where || guard ? firstVisible(run, node, offset + limit).slice(offset) : reader.page(node.ns, limit, offset);
  }
  const matched = filterRows(run, candidates(reader, node.ns, where), where);
  const sorted = sortRows(reader, node.ns, matched, order);
  const visible = guard ? sorted.filter((id) => guard.canView(node.ns, id)) : sorted;
  const paged = applyCursors(reader, node.ns, visible, order, after, before).slice(offset);
  if (last !== undefined) return paged.slice(-last);
  return limit === undefined ? paged : paged.slice(0, limit);
}

/** The most rows read in one step while looking for the first visible ones (see {@link firstVisible}). */
const MAX_PAGE_STEP = 4_096;

/**
 * The first `wanted` rows of a namespace in creation order that match the node's `where` and that the
 * caller may view, read from the (attribute, created_at) index a page at a time and stopping as soon as
 * there are enough: a guest's page of 20 looks at about as many rows as it returns, not the whole table.
 * The first step reads `wanted` rows; each next one reads what the share of rows kept so far predicts is
 * still needed, plus a quarter (at least twice the last step when nothing was kept; at most
 * {@link MAX_PAGE_STEP}), so a rule that passes for half the rows reads about 2.5x the page in two steps.
 */
function firstVisible(run: Run, node: NamespaceNode, wanted: number): string[] {
  const { reader, guard } = run;
  const { where } = node.options;
  const found: string[] = [];
  // Rows the view rule would reject for a value they lack are skipped by SQLite, not read.
  const required = guard ? guard.requiredValues(node.ns) : [];
  for (let scanned = 0, step = Math.max(1, wanted); found.length < wanted; ) {
    const page = reader.page(node.ns, step, scanned, required);
    if (page.length === 0) break;
    scanned += page.length;
    for (const id of page) {
      if (where && !matchesWhere(reader, id, where, guard)) continue;
      if (guard && !guard.canView(node.ns, id)) continue;
      found.push(id);
      if (found.length === wanted) break;
    }
    const missing = wanted - found.length;
    const predicted = found.length === 0 ? step * 2 : Math.ceil(((missing * scanned) / found.length) * 1.25);
    step = Math.min(Math.max(predicted, missing), MAX_PAGE_STEP);
  }
  return found;
}

/** The plain equalities on the namespace's own attributes that a `where` requires (index lookups). */
function equalitiesOf(where: WhereNode | undefined): (CondNode & { op: { kind: 'eq' } })[] {
  const required = where === undefined ? [] : where.kind === 'and' ? where.clauses : [where];
  return required.filter(
    (clause): clause is CondNode & { op: { kind: 'eq' } } =>
      clause.kind === 'cond' &&
      clause.op.kind === 'eq' &&
      !clause.dates &&
      clause.path.links.length === 0 &&
      clause.path.leaf.kind !== 'link',
  );
}

/**
 * The entities a top-level node must look at: narrowed through the (attribute, value) index by the
 * plain equalities on the namespace's own attributes that the `where` requires, else all of them.
 */
function candidates(reader: EntityReader, ns: string, where: WhereNode | undefined): readonly string[] {
  const equalities = equalitiesOf(where);
  if (equalities.length === 0) return reader.all(ns).map(({ id }) => id);
  let ids: Set<string> | undefined;
  for (const cond of equalities) {
    const found = reader.withValue(ns, cond.path.text, cond.op.value);
    ids = new Set(ids ? found.filter((id) => ids!.has(id)) : found);
  }
  return [...ids!].filter((id) => reader.createdAt(id, ns) > 0);
}

function filterRows(run: Run, ids: readonly string[], where: WhereNode | undefined): readonly string[] {
  return where ? ids.filter((id) => matchesWhere(run.reader, id, where, run.guard)) : ids;
}

/** The rows of a child node under `parent`: linked (through a visible link), matching, ordered. */
function childRows(run: Run, child: NamespaceNode, parent: string): readonly string[] {
  const { reader, guard } = run;
  const link = child.link;
  if (!link || child.unresolved !== undefined || child.options.aggregate) return [];
  const matched = filterRows(run, reader.follow(parent, link), child.options.where);
  const reached = guard ? matched.filter((id) => guard.canFollow(parent, link, id)) : matched;
  return sortRows(reader, child.ns, reached, child.options.order);
}

function buildEntity(run: Run, node: NamespaceNode, id: string): Record<string, unknown> {
  const { reader, guard } = run;
  const data = guard ? { ...guard.data(node.ns, id) } : entityData(reader, node.ns, id);
  if (node.ns === '$files') addFileUrl(data, run.fileUrl);
  const fields = node.options.fields;
  const picked = fields
    ? Object.fromEntries(Object.entries(data).filter(([key]) => key === 'id' || fields.includes(key)))
    : data;
  const entity = guard ? guard.hideFields(node.ns, id, picked) : picked;
  for (const child of node.children) {
    const link = child.link;
    const ids = childRows(run, child, id);
    if (!link) setField(entity, child.label, []);
    if (!link || (guard && ids.length === 0)) continue;
    const rows = ids.map((childId) => buildEntity(run, child, childId));
    const singular = link.forward ? link.attr.cardinality === 'one' : link.attr.unique;
    setField(entity, child.label, run.inference && singular ? (rows[0] ?? null) : rows);
  }
  return entity;
}

/**
 * Sets a `$files` row's `url` from its `location-id`, as Instant's `transform-$files-result` adds a
 * signed one to every row read (a `url` stored by an older version is replaced; a row without a
 * location has none). `fields` then keeps it only when asked for, like any attribute.
 */
function addFileUrl(data: Record<string, unknown>, fileUrl: ((locationId: string) => string) | undefined): void {
  const location = data['location-id'];
  if (fileUrl && typeof location === 'string') setField(data, 'url', fileUrl(location));
  else delete data.url;
}
