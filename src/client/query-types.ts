import type { AttrsOf, LinksOf, NamespaceName, SchemaShape, UnknownSchema } from '../builder/types.ts';
import type { JsonValue } from '../protocol/json.ts';
import type { AttrIsRequired, AttrValue } from '../schema/data-attr-def.ts';

/** What a stored attribute reads back as: dates come back as written (ISO string or epoch ms). */
type AttrOutput<A> =
  unknown extends AttrValue<A>
    ? JsonValue
    : AttrValue<A> extends infer V
      ? Date extends V
        ? string | number
        : V
      : never;

/** `$` options of a query node. */
export interface QueryOptions {
  readonly where?: { readonly [path: string]: unknown };
  readonly order?: { readonly [key: string]: 'asc' | 'desc' };
  readonly limit?: number;
  readonly first?: number;
  readonly last?: number;
  readonly offset?: number;
  readonly before?: readonly unknown[];
  readonly after?: readonly unknown[];
  readonly beforeInclusive?: boolean;
  readonly afterInclusive?: boolean;
  readonly fields?: readonly string[];
}

// As in builder/types.ts: per-namespace types are mapped types over the namespace's definitions whose
// property types are aliases of one definition (`QueryNodeAt<S, D>`, `OptionalOutput<D>`, `LinkResult<S, D, Q>`),
// which TypeScript caches by their arguments instead of re-instantiating per namespace and attribute.

/** The query node a link definition leads to. */
type QueryNodeAt<S extends SchemaShape, D> = D extends { readonly entityName: infer T extends NamespaceName<S> }
  ? QueryNode<S, T>
  : never;

/** A query node over a namespace's links; for one without links just `$` (so any label is an error). */
type QueryNodeOf<S extends SchemaShape, Links> = [keyof Links] extends [never]
  ? { readonly $?: QueryOptions }
  : { readonly $?: QueryOptions } & { readonly [L in keyof Links]?: QueryNodeAt<S, Links[L]> };

/** A query node for namespace N: options under `$`, then link labels of N. */
export type QueryNode<S extends SchemaShape, N extends NamespaceName<S>> = QueryNodeOf<S, LinksOf<S, N>>;

/** A `$users` row when the schema does not declare `$users` (Instant has it in every app). */
export interface SystemUserRow {
  readonly id: string;
  readonly email?: string | null;
  readonly imageURL?: string | null;
  readonly type?: string | null;
}

/** An InstaQL query over a schema's namespaces, and `$users`, which every app has. */
export type InstaQLQuery<S extends SchemaShape> = { readonly [N in NamespaceName<S>]?: QueryNode<S, N> } & {
  readonly $users?: '$users' extends NamespaceName<S>
    ? QueryNode<S, '$users' & NamespaceName<S>>
    : { readonly $?: QueryOptions };
};

/** An optional attribute as read back: possibly missing or null. */
type OptionalOutput<D> = AttrOutput<D> | null;

/** A row's attributes over a namespace's definitions. */
type EntityResultOf<A> = { readonly id: string } & {
  readonly [K in keyof A as AttrIsRequired<A[K]> extends true ? K : never]: AttrOutput<A[K]>;
} & {
  readonly [K in keyof A as AttrIsRequired<A[K]> extends true ? never : K]?: OptionalOutput<A[K]>;
};

/** An entity's attributes as read back: required ones present, optional ones possibly missing or null. */
export type EntityResult<S extends SchemaShape, N extends NamespaceName<S>> = EntityResultOf<AttrsOf<S, N>>;

type Fields<Q> = Q extends { readonly $: { readonly fields: readonly (infer F)[] } } ? F : never;
type Picked<E, Q> = [Fields<Q>] extends [never] ? E : Pick<E, Extract<keyof E, Fields<Q> | 'id'>>;

/** What a requested link reads back as: one row (or nothing) for a to-one link, rows for a to-many one. */
type LinkResult<S extends SchemaShape, D, Q> = D extends {
  readonly entityName: infer T extends NamespaceName<S>;
  readonly cardinality: infer C;
}
  ? C extends 'one'
    ? QueryNodeResult<S, T, Q> | null | undefined
    : QueryNodeResult<S, T, Q>[]
  : never;

/** The requested links of query node Q over a namespace's links. */
type LinkResultsOf<S extends SchemaShape, Links, Q> = {
  readonly [L in Exclude<keyof Q, '$'> & keyof Links]: LinkResult<S, Links[L], Q[L]>;
};

/** One result row of query node Q on namespace N, with its requested links. */
export type QueryNodeResult<S extends SchemaShape, N extends NamespaceName<S>, Q> = Picked<EntityResult<S, N>, Q> &
  LinkResultsOf<S, LinksOf<S, N>, Q>;

/** The result of `db.query(q)`: one array per top-level namespace asked for. */
export type QueryResult<S extends SchemaShape, Q> = {
  readonly [N in keyof Q & NamespaceName<S>]: QueryNodeResult<S, N, Q[N]>[];
} & ('$users' extends keyof Q ? ('$users' extends NamespaceName<S> ? {} : { readonly $users: SystemUserRow[] }) : {});

/** Result rows of the untyped client: any attributes. */
export type UntypedQueryResult<Q> = {
  readonly [N in keyof Q]: ({ readonly id: string } & { readonly [key: string]: unknown })[];
};

/** The query result type for a schema value (`undefined` → untyped). */
export type QueryResultFor<S, Q> = [S] extends [undefined]
  ? UntypedQueryResult<Q>
  : S extends SchemaShape
    ? QueryResult<S, Q>
    : UntypedQueryResult<Q>;

/** The query input type for a schema value. */
export type QueryFor<S> = [S] extends [undefined]
  ? { readonly [ns: string]: object }
  : S extends SchemaShape
    ? InstaQLQuery<S>
    : { readonly [ns: string]: object };

export type { UnknownSchema };
