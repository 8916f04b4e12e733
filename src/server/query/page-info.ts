import { isPlainObject } from '../../protocol/json.ts';
import { EntityReader } from '../read/entity-reader.ts';
import type { AttrRegistry } from '../store/attr-registry.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { executeQuery, type PageEdges, type QueryOptions } from './execute-query.ts';
import type { Cursor, NamespaceNode, NodeOptions, QueryPlan } from './query-plan.ts';

/** A page's cursors (Instant's join rows `[entity, attr, value, createdAt]`) and neighbours, as Instant sends them. */
export interface WirePageInfo {
  readonly 'start-cursor': readonly unknown[] | null;
  readonly 'end-cursor': readonly unknown[] | null;
  readonly 'has-next-page?': boolean;
  readonly 'has-previous-page?': boolean;
}

/** The `$` options that make Instant report page info for a top-level node. */
const PAGING = ['limit', 'first', 'last', 'offset', 'before', 'after', 'order'];

/**
 * Instant's `page-info` for a query's answer (the `result-meta` of a live query): for each top-level
 * node whose `$` pages or orders, the cursors of the first and last row returned, and whether rows
 * exist past either end, decided by Instant's rules: no next page without a `limit` or `before`; with
 * a plain `limit`, whether `limit + 1` rows come back; else whether a row follows the page's last one.
 * No previous page without an `after`, an offset or `last`; with `last` and no `after`, whether
 * `last + 1` rows come back; else whether a row precedes the page's first one (and an empty page asked
 * for with an offset or an `after` cursor has one). What the query's own run learned (`edges`: it read
 * a plain `limit` or `last` page with a row to spare) is taken as it is; each other question is the
 * node run once more (ids only, same `where`, order and permissions), one row past the page's end.
 *
 * @example
 * // With a plan for { goals: { $: { limit: 2 } } } and its answer `result`:
 * // pageInfoOf(plan, query, registry, store, { inference: false }, result)
 * // → { goals: { 'start-cursor': [id, idAttr, id, t], 'end-cursor': [...], 'has-next-page?': true, 'has-previous-page?': false } }
 */
export function pageInfoOf(
  plan: QueryPlan,
  query: Readonly<Record<string, unknown>>,
  registry: AttrRegistry,
  store: TripleStore,
  options: QueryOptions,
  result: Readonly<Record<string, unknown>>,
  edges: ReadonlyMap<string, PageEdges> = new Map(),
): Record<string, WirePageInfo> {
  const reader = new EntityReader(registry, store);
  const info: Record<string, WirePageInfo> = {};
  for (const node of plan.nodes) {
    const dollar = (query[node.label] as { $?: unknown } | undefined)?.$;
    if (node.unresolved !== undefined || !isPlainObject(dollar) || !PAGING.some((key) => key in dollar)) continue;
    const rows = (changes: Partial<NodeOptions>): number => {
      const probe = { ...node, children: [], options: { ...node.options, fields: ['id'], ...changes } };
      const answer = executeQuery({ kind: 'query', nodes: [probe] }, registry, store, options)[node.label];
      return Array.isArray(answer) ? answer.length : 0;
    };
    const page = idsOf(result[node.label]);
    const first = page[0];
    const last = page[page.length - 1];
    const start = first === undefined ? null : cursorOf(reader, node, first);
    const end = last === undefined ? null : cursorOf(reader, node, last);
    Object.defineProperty(info, node.label, {
      enumerable: true,
      value: {
        'start-cursor': start?.row ?? null,
        'end-cursor': end?.row ?? null,
        'has-next-page?': edges.get(node.label)?.next ?? hasNext(node.options, end?.cursor, rows),
        'has-previous-page?': edges.get(node.label)?.previous ?? hasPrevious(node.options, start?.cursor, rows),
      },
    });
  }
  return info;
}

type CountRows = (changes: Partial<NodeOptions>) => number;
const UNPAGED = { limit: undefined, last: undefined, offset: 0, after: undefined, before: undefined } as const;

function hasNext(options: NodeOptions, end: Cursor | undefined, rows: CountRows): boolean {
  const { limit, last, before } = options;
  if (limit === undefined && last === undefined && before === undefined) return false;
  if (limit !== undefined && before === undefined) return rows({ limit: limit + 1 }) > limit;
  return end !== undefined && rows({ ...UNPAGED, after: end, limit: 1 }) > 0;
}

function hasPrevious(options: NodeOptions, start: Cursor | undefined, rows: CountRows): boolean {
  const { last, offset, after } = options;
  if (after === undefined && offset === 0 && last === undefined) return false;
  if (last !== undefined && after === undefined) return rows({ last: last + 1 }) > last;
  if (start === undefined) return offset > 0 || after !== undefined;
  return rows({ ...UNPAGED, before: start, last: 1 }) > 0;
}

function idsOf(rows: unknown): string[] {
  return Array.isArray(rows) ? rows.map((row) => String((row as { id: unknown }).id)) : [];
}

/**
 * A row's cursor as Instant writes it — the join row of the order attribute's triple (the `id`
 * attribute's when ordering by `serverCreatedAt`), `[entity, attr id, value, created at]` — and as
 * the plan reads one (exclusive), to ask what lies beyond it.
 */
function cursorOf(reader: EntityReader, node: NamespaceNode, id: string): { row: unknown[]; cursor: Cursor } {
  const { order } = node.options;
  const attr = order.kind === 'attr' ? order.attr : reader.registry.forward(node.ns, 'id');
  const triple = attr ? reader.triples(id).find((t) => t.a === attr.id) : undefined;
  const value = triple ? triple.v : null;
  const createdAt =
    order.kind === 'attr' ? (triple?.createdAt ?? reader.createdAt(id, node.ns)) : reader.createdAt(id, node.ns);
  return {
    row: [id, attr?.id ?? null, value, createdAt],
    cursor: { entityId: id, attrId: attr?.id ?? '', value, createdAt, inclusive: false },
  };
}
