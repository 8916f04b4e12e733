import { isPlainObject } from '../../protocol/json.ts';
import { validationFailed } from '../http/api-error.ts';
import type { AttrRegistry } from '../store/attr-registry.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { EntityReader } from './entity-reader.ts';
import { compare, matchesWhere } from './match-where.ts';
import { validateQuery } from './validate-query.ts';

/** How to run a query: `inference?` turns has-one links into an object (or null); `canView` filters rows. */
export interface QueryOptions {
  readonly inference: boolean;
  /** Permission filter for impersonated requests; omitted for admin requests. */
  readonly canView?: (ns: string, entity: Record<string, unknown>) => boolean;
}

type Node = Record<string, unknown> & { $?: Record<string, unknown> };

/**
 * Runs an InstaQL query and returns Instant's object tree: `{ns: [{id, ...attrs, label: [...]}, ...]}`.
 */
export function runQuery(
  registry: AttrRegistry,
  store: TripleStore,
  query: Record<string, unknown>,
  options: QueryOptions,
): Record<string, unknown> {
  validateQuery(query);
  const reader = new EntityReader(registry, store);
  const result: Record<string, unknown> = {};
  for (const [ns, node] of Object.entries(query)) {
    if (ns === '$$ruleParams') continue;
    result[ns] = topLevel(reader, ns, node as Node, options);
  }
  return result;
}

function topLevel(reader: EntityReader, ns: string, node: Node, options: QueryOptions): Record<string, unknown>[] {
  const $ = node.$ ?? {};
  checkTopLevelOrder(reader, ns, $);
  const offset = ($.offset as number | undefined) ?? 0;
  const last = $.last as number | undefined;
  const limit = ($.limit ?? $.first) as number | undefined;
  if (limit !== undefined && !$.where && !$.order && !$.after && !$.before && !options.canView) {
    return reader.page(ns, limit, offset).map((id) => buildEntity(reader, ns, id, node, options));
  }
  let rows = candidates(reader, ns, $.where as Record<string, unknown> | undefined);
  rows = filterAndSort(reader, ns, rows, $);
  rows = rows.filter((id) => canView(reader, ns, id, options));
  rows = applyCursors(reader, ns, rows, $);
  rows = rows.slice(offset);
  if (last !== undefined) rows = rows.slice(-last);
  else if (limit !== undefined) rows = rows.slice(0, limit);
  return rows.map((id) => buildEntity(reader, ns, id, node, options));
}

/**
 * The entities a top-level query must look at: narrowed through the (attribute, value) index when the
 * where clause has plain equalities on attributes of the namespace itself, else all of them.
 */
function candidates(reader: EntityReader, ns: string, where: Record<string, unknown> | undefined): string[] {
  const equalities = Object.entries(where ?? {}).filter(
    ([key, value]) =>
      !key.includes('.') &&
      key !== 'or' &&
      key !== 'and' &&
      ['string', 'number', 'boolean'].includes(typeof value) &&
      !reader.registry.link(ns, key),
  );
  if (equalities.length === 0) return reader.all(ns).map(({ id }) => id);
  let ids: Set<string> | undefined;
  for (const [key, value] of equalities) {
    const found = reader.withValue(ns, key, value);
    ids = new Set(ids ? found.filter((id) => ids!.has(id)) : found);
  }
  return [...ids!].filter((id) => reader.createdAt(id, ns) > 0);
}

/** A query node's ordering: each row's key, the direction, and whether cursors carry the key as a value. */
interface Ordering {
  readonly key: (id: string) => unknown;
  readonly sign: 1 | -1;
  readonly byAttribute: boolean;
}

/** The ordering `$.order` asks for: an attribute's value, or `serverCreatedAt` (the default), ties by id. */
function orderingOf(reader: EntityReader, ns: string, $: Record<string, unknown>): Ordering {
  const order = $.order as Record<string, string> | undefined;
  const [name, direction] = order ? Object.entries(order)[0]! : ['serverCreatedAt', 'asc'];
  const attr = name === 'serverCreatedAt' ? undefined : reader.registry.forward(ns, name);
  return {
    key: (id) => (attr ? (reader.values(id, attr)[0] ?? null) : reader.createdAt(id, ns)),
    sign: direction === 'desc' ? -1 : 1,
    byAttribute: attr !== undefined,
  };
}

/** Compares two rows by (key, id) in the ordering's direction. */
function compareRows(ordering: Ordering, a: { id: string; key: unknown }, b: { id: string; key: unknown }): number {
  return ordering.sign * (compare(a.key, b.key) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function filterAndSort(reader: EntityReader, ns: string, ids: string[], $: Record<string, unknown>): string[] {
  const where = $.where as Record<string, unknown> | undefined;
  const matched = where ? ids.filter((id) => matchesWhere(reader, id, ns, where)) : ids;
  const ordering = orderingOf(reader, ns, $);
  const keyed = matched.map((id) => ({ id, key: ordering.key(id) }));
  keyed.sort((a, b) => compareRows(ordering, a, b));
  return keyed.map((entry) => entry.id);
}

/**
 * Keeps the rows strictly after `after` / before `before` (or including them with `afterInclusive` /
 * `beforeInclusive`). A cursor is Instant's join row `[entityId, attrId, value, createdAtMs]`,
 * compared by the query's order key, then entity id.
 */
function applyCursors(reader: EntityReader, ns: string, rows: string[], $: Record<string, unknown>): string[] {
  const ordering = orderingOf(reader, ns, $);
  const position = (id: string, cursor: unknown[]): number =>
    compareRows(
      ordering,
      { id, key: ordering.key(id) },
      { id: String(cursor[0]), key: ordering.byAttribute ? cursor[2] : cursor[3] },
    );
  let kept = rows;
  const after = $.after;
  if (Array.isArray(after))
    kept = kept.filter((id) => ($.afterInclusive === true ? position(id, after) >= 0 : position(id, after) > 0));
  const before = $.before;
  if (Array.isArray(before))
    kept = kept.filter((id) => ($.beforeInclusive === true ? position(id, before) <= 0 : position(id, before) < 0));
  return kept;
}

function checkTopLevelOrder(reader: EntityReader, ns: string, $: Record<string, unknown>): void {
  const order = $.order;
  if (!isPlainObject(order)) return;
  const key = Object.keys(order)[0]!;
  if (key === 'serverCreatedAt') return;
  const attr = reader.registry.forward(ns, key);
  const problems: string[] = [];
  if (!attr) problems.push(`There is no \`${key}\` attribute for ${ns}.`);
  else {
    if (!attr.indexed)
      problems.push(
        `The \`${ns}.${key}\` attribute is not indexed. Only indexed and typed attributes can be used to order by.`,
      );
    if (!attr.checkedType)
      problems.push(
        `The \`${ns}.${key}\` attribute is not typed. Only indexed and typed attributes can be used to order by.`,
      );
    if (attr.cardinality === 'many')
      problems.push(
        `The \`${ns}.${key}\` attribute has cardinality \`many\`. Only attributes with cardinality \`one\` can be used to order by.`,
      );
  }
  if (problems.length > 0)
    throw validationFailed(
      'query',
      { [ns]: { $ } },
      problems,
      problems.map(() => ({ in: [ns, '$', 'order', key] })),
    );
}

function canView(reader: EntityReader, ns: string, id: string, options: QueryOptions): boolean {
  return options.canView ? options.canView(ns, entityData(reader, ns, id)) : true;
}

/**
 * The stored entity as Instant shows it: `id`, every forward cardinality-one attribute (has-one links as
 * the linked id), and `null` for indexed attributes never set.
 */
export function entityData(reader: EntityReader, ns: string, id: string): Record<string, unknown> {
  const data: Record<string, unknown> = { id };
  for (const triple of reader.triples(id)) {
    const attr = reader.registry.byId(triple.a);
    if (!attr || attr.ns !== ns || attr.cardinality !== 'one' || attr.label === 'id') continue;
    data[attr.label] = triple.v;
  }
  for (const attr of reader.registry.all()) {
    if (attr.ns === ns && attr.indexed && attr.valueType === 'blob' && attr.label !== 'id' && !(attr.label in data))
      data[attr.label] = null;
  }
  return data;
}

function buildEntity(
  reader: EntityReader,
  ns: string,
  id: string,
  node: Node,
  options: QueryOptions,
): Record<string, unknown> {
  const data = entityData(reader, ns, id);
  const fields = node.$?.fields as string[] | undefined;
  const entity = fields
    ? Object.fromEntries(Object.entries(data).filter(([key]) => key === 'id' || fields.includes(key)))
    : data;
  for (const [label, child] of Object.entries(node)) {
    if (label === '$') continue;
    const link = reader.registry.link(ns, label);
    const childNode = child as Node;
    if (!link) {
      entity[label] = [];
      continue;
    }
    let ids = filterAndSort(reader, link.target, reader.linked(id, ns, label), childNode.$ ?? {});
    ids = ids.filter((childId) => canView(reader, link.target, childId, options));
    if (options.canView && ids.length === 0) continue;
    const children = ids.map((childId) => buildEntity(reader, link.target, childId, childNode, options));
    const singular = link.forward ? link.attr.cardinality === 'one' : link.attr.unique;
    entity[label] = options.inference && singular ? (children[0] ?? null) : children;
  }
  return entity;
}
