import type { LinkEnd } from '../store/attr-registry.ts';
import type { Attr } from '../store/attr.ts';

/**
 * The nodes of a parsed InstaQL query. `parseQuery` builds them once, after checking the query against
 * the attribute registry; `executeQuery` walks them and never looks at the raw query again. Every node
 * is a frozen value made by the factories below.
 */

/** A value a `where` condition compares with: a string (uuids included), number or boolean. */
export type WhereValue = string | number | boolean;

/** The four ordered comparisons. */
export type ComparisonKind = 'gt' | 'gte' | 'lt' | 'lte';

/** `{attr: value}`: some value reached equals `value`. */
export interface EqOperator {
  readonly kind: 'eq';
  readonly value: WhereValue;
}

/** `{attr: {$in: [...]}}` (alias `in`): some value reached is in the list; `null` matches a missing value. */
export interface InOperator {
  readonly kind: 'in';
  readonly values: readonly (WhereValue | null)[];
}

/** `{attr: {$not: v}}` (alias `$ne`): some value reached differs from `v`; a missing value differs. */
export interface NotOperator {
  readonly kind: 'not';
  readonly value: WhereValue;
}

/** `{attr: {$isNull: b}}`: some value reached is missing or null (`true`), or is present (`false`). */
export interface IsNullOperator {
  readonly kind: 'isNull';
  readonly isNull: boolean;
}

/** `{attr: {$gt: v}}` and friends: some value reached, of the attribute's type, compares so with `v`. */
export interface ComparisonOperator {
  readonly kind: ComparisonKind;
  readonly value: WhereValue;
}

/** `{attr: {$like: p}}` / `$ilike`: some string reached matches `pattern`, through a matcher compiled once. */
export interface LikeOperator {
  readonly kind: 'like';
  readonly pattern: string;
  readonly caseInsensitive: boolean;
  readonly matches: (text: string) => boolean;
}

/** What a condition asks of the values its path reaches. */
export type Operator = EqOperator | InOperator | NotOperator | IsNullOperator | ComparisonOperator | LikeOperator;

/** What the last label of a `where` path names: the entity's id, a data attribute, or a link. */
export type PathLeaf =
  | { readonly kind: 'id' }
  | { readonly kind: 'attr'; readonly attr: Attr }
  | { readonly kind: 'link'; readonly link: LinkEnd };

/** A dotted `where` key, resolved: the links to follow, then the leaf to read. */
export interface WherePath {
  readonly text: string;
  readonly links: readonly LinkEnd[];
  readonly leaf: PathLeaf;
}

/**
 * One condition. `dates` is set when the leaf is an indexed `date` attribute: the query's values were
 * coerced to epoch milliseconds, and stored values are read as dates before comparing.
 */
export interface CondNode {
  readonly kind: 'cond';
  readonly path: WherePath;
  readonly op: Operator;
  readonly dates: boolean;
}

/** Every clause holds (an empty `and` always holds). */
export interface AndNode {
  readonly kind: 'and';
  readonly clauses: readonly WhereNode[];
}

/** Some clause holds. */
export interface OrNode {
  readonly kind: 'or';
  readonly clauses: readonly WhereNode[];
}

/** A `where` clause as a tree. */
export type WhereNode = AndNode | OrNode | CondNode;

/** Sort direction. */
export type Direction = 'asc' | 'desc';

/** How rows are ordered: by creation time (`serverCreatedAt`) or by an attribute's value; ties by id. */
export type OrderNode =
  | { readonly kind: 'createdAt'; readonly direction: Direction }
  | { readonly kind: 'attr'; readonly attr: Attr; readonly direction: Direction; readonly dates: boolean };

/**
 * A pagination cursor: Instant's join row `[entityId, attrId, value, createdAt?]`, compared with each
 * row's order key (`value` when ordering by an attribute, `createdAt` otherwise), then entity id.
 */
export interface Cursor {
  readonly entityId: string;
  readonly attrId: string;
  readonly value: unknown;
  readonly createdAt: number | undefined;
  readonly inclusive: boolean;
}

/** A node's `$` options. Pagination (limit, last, offset, cursors) applies to top-level nodes only. */
export interface NodeOptions {
  readonly where: WhereNode | undefined;
  readonly order: OrderNode;
  /** `limit` or `first`. */
  readonly limit: number | undefined;
  readonly last: number | undefined;
  readonly offset: number;
  readonly after: Cursor | undefined;
  readonly before: Cursor | undefined;
  readonly fields: readonly string[] | undefined;
  readonly aggregate: 'count' | undefined;
}

/**
 * One namespace of the query: its rows come from `ns` (top level) or through `link` from the parent
 * row. `unresolved` names the namespace, link or attribute that does not exist when Instant answers
 * with no rows rather than an error (an unknown namespace, child label, or attribute in `where`).
 */
export interface NamespaceNode {
  readonly kind: 'namespace';
  readonly label: string;
  readonly ns: string;
  readonly link: LinkEnd | undefined;
  readonly unresolved: string | undefined;
  readonly options: NodeOptions;
  readonly children: readonly NamespaceNode[];
}

/** A whole query: its top-level namespaces in query order. */
export interface QueryPlan {
  readonly kind: 'query';
  readonly nodes: readonly NamespaceNode[];
}

/**
 * Factories for plan nodes; each returns a frozen node (its lists frozen too).
 */
export const PlanNodes = Object.freeze({
  and: (clauses: readonly WhereNode[]): AndNode => Object.freeze({ kind: 'and', clauses: Object.freeze([...clauses]) }),
  or: (clauses: readonly WhereNode[]): OrNode => Object.freeze({ kind: 'or', clauses: Object.freeze([...clauses]) }),
  cond: (path: WherePath, op: Operator, dates: boolean): CondNode =>
    Object.freeze({ kind: 'cond', path, op: Object.freeze(op), dates }),
  path: (text: string, links: readonly LinkEnd[], leaf: PathLeaf): WherePath =>
    Object.freeze({ text, links: Object.freeze([...links]), leaf: Object.freeze(leaf) }),
  namespace: (node: Omit<NamespaceNode, 'kind'>): NamespaceNode =>
    Object.freeze({
      kind: 'namespace',
      ...node,
      options: Object.freeze({ ...node.options }),
      children: Object.freeze([...node.children]),
    }),
  query: (nodes: readonly NamespaceNode[]): QueryPlan =>
    Object.freeze({ kind: 'query', nodes: Object.freeze([...nodes]) }),
});
