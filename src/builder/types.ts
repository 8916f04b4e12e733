import type { Draft } from 'immer';
import type { AttrIsRequired, AttrIsUnique, AttrValue, DataAttrDef } from '../schema/data-attr-def.ts';
import type { EntityDef } from '../schema/entity-def.ts';
import type { LinksDef } from '../schema/link-def.ts';
import type { LinksOfNamespace } from '../schema/schema-def.ts';
import type { LookupKey, PlainId } from './lookup.ts';

/** What may be written as a JSON value: JSON plus `Date` (sent as its ISO string). */
export type JsonInput =
  | string
  | number
  | boolean
  | null
  | Date
  | readonly JsonInput[]
  | { readonly [key: string]: JsonInput | undefined };

/**
 * The minimal shape of a schema the types read. Deliberately shallow: checking a schema against a
 * deeper shape would force every namespace's link map to be computed up front, which dominated
 * type-checking time; this way a namespace's attrs and links are computed only where it is used.
 */
export interface SchemaShape {
  readonly entities: object;
}

type Entities<S extends SchemaShape> = S['entities'];
/** A namespace's attribute definitions. Our `EntityDef` is matched by type arguments (cheap); other schema objects structurally. */
export type AttrsOf<S extends SchemaShape, N extends keyof Entities<S>> =
  // biome-ignore lint/suspicious/noExplicitAny: matches EntityDef whatever its link type; `unknown` would not (variance)
  Entities<S>[N] extends EntityDef<infer A, any> ? A : Entities<S>[N] extends { readonly attrs: infer A } ? A : {};
/** A namespace's links, keyed by label, each `{cardinality, entityName}`. */
export type LinksOf<S extends SchemaShape, N extends keyof Entities<S>> = S extends {
  readonly links: infer L extends LinksDef;
}
  ? LinksOfNamespace<L, N>
  : Entities<S>[N] extends { readonly links: infer L }
    ? L
    : {};

/** The namespaces of a schema. */
export type NamespaceName<S extends SchemaShape> = keyof Entities<S> & string;

/** What an attribute accepts on write; `i.any()`/untyped attributes accept any JSON input. */
export type AttrInput<A> = unknown extends AttrValue<A> ? JsonInput : AttrValue<A>;

/** The optional attributes of a set of definitions. */
export type OptionalKeys<Attrs> = {
  [K in keyof Attrs]: AttrIsRequired<Attrs[K]> extends true ? never : K;
}[keyof Attrs];
/** The required attributes of a set of definitions. */
export type RequiredKeys<Attrs> = Exclude<keyof Attrs, OptionalKeys<Attrs>>;

/** The attributes `update` accepts: any subset; `null` only for optional ones. */
export type UpdateAttrs<S extends SchemaShape, N extends NamespaceName<S>> = {
  readonly [K in keyof AttrsOf<S, N>]?: AttrIsRequired<AttrsOf<S, N>[K]> extends true
    ? AttrInput<AttrsOf<S, N>[K]>
    : AttrInput<AttrsOf<S, N>[K]> | null;
};

/** The attributes `create` needs: every required one, optionally the rest. */
export type CreateAttrs<S extends SchemaShape, N extends NamespaceName<S>> = {
  readonly [K in RequiredKeys<AttrsOf<S, N>>]: AttrInput<AttrsOf<S, N>[K]>;
} & {
  readonly [K in OptionalKeys<AttrsOf<S, N>>]?: AttrInput<AttrsOf<S, N>[K]> | null;
};

/** A deep-merge patch of a JSON value: any part of it, with `null` deleting a key. */
export type MergePatch<T> = T extends readonly unknown[] | Date
  ? T
  : T extends object
    ? { readonly [K in keyof T]?: MergePatch<T[K]> | null }
    : T;

/** What `merge` accepts for one attribute: a deep patch of a typed value, any JSON for an untyped one. */
type MergeInput<A> = unknown extends AttrValue<A> ? JsonInput : MergePatch<AttrValue<A>>;

/** The attributes `merge` accepts: deep patches of each. */
export type MergeAttrs<S extends SchemaShape, N extends NamespaceName<S>> = {
  readonly [K in keyof AttrsOf<S, N>]?: MergeInput<AttrsOf<S, N>[K]> | null;
};

/** The unique attributes of a namespace: the ones `lookup` may use. */
export type UniqueAttrName<S extends SchemaShape, N extends NamespaceName<S>> = {
  [K in keyof AttrsOf<S, N>]: AttrIsUnique<AttrsOf<S, N>[K]> extends true ? K : never;
}[keyof AttrsOf<S, N>] &
  string;

/** An entity reference for namespace N: an id, or a lookup on one of its unique attributes. */
export type EntityRefInput<S extends SchemaShape, N extends NamespaceName<S>> =
  | PlainId
  | LookupKey<UniqueAttrName<S, N>>;

type LinkTarget<S extends SchemaShape, L> = L extends {
  readonly entityName: infer T extends NamespaceName<S>;
  readonly cardinality: infer C;
}
  ? C extends 'one'
    ? EntityRefInput<S, T>
    : EntityRefInput<S, T> | readonly EntityRefInput<S, T>[]
  : never;

/** The object `link`/`unlink` accept: known labels, to-one labels take one target. */
export type LinkArgs<S extends SchemaShape, N extends NamespaceName<S>> = {
  readonly [L in keyof LinksOf<S, N>]?: LinkTarget<S, LinksOf<S, N>[L]>;
};

/** `update`/`merge` options: `{upsert: false}` fails instead of creating a missing entity. */
export interface UpsertOpts {
  readonly upsert?: boolean | undefined;
}

/**
 * A recorded set of steps on one entity of namespace N. Every method returns a new chunk.
 */
export interface Chunk<S extends SchemaShape, N extends NamespaceName<S>> {
  update(attrs: UpdateAttrs<S, N>, opts?: UpsertOpts): Chunk<S, N>;
  create(attrs: CreateAttrs<S, N>): Chunk<S, N>;
  merge(attrs: MergeAttrs<S, N>, opts?: UpsertOpts): Chunk<S, N>;
  link(links: LinkArgs<S, N>): Chunk<S, N>;
  unlink(links: LinkArgs<S, N>): Chunk<S, N>;
  delete(): Chunk<S, N>;
  ruleParams(params: { readonly [key: string]: JsonInput | undefined }): Chunk<S, N>;
  change<T extends object>(current: T, recipe: (draft: Draft<T>) => void): Chunk<S, N>;
}

/** The builder of one namespace: `ns[id]`, `ns(id)`, `ns.lookup(attr, value)`. */
export type NamespaceBuilder<S extends SchemaShape, N extends NamespaceName<S>> = {
  readonly [id: string]: Chunk<S, N>;
} & {
  (id: EntityRefInput<S, N>): Chunk<S, N>;
  lookup<A extends UniqueAttrName<S, N>>(attribute: A, value: AttrInput<AttrsOf<S, N>[A]>): Chunk<S, N>;
};

/** A typed `tx`: one property per namespace, or the call form `tx('name')`. */
export type TypedTx<S extends SchemaShape> = {
  readonly [N in NamespaceName<S>]: NamespaceBuilder<S, N>;
} & (<N extends NamespaceName<S>>(namespace: N) => NamespaceBuilder<S, N>);

/** The schema the untyped `tx` pretends to have: any namespace, attribute and label. */
export interface UnknownSchema {
  readonly entities: {
    readonly [namespace: string]: {
      readonly attrs: { readonly [attr: string]: DataAttrDef<unknown, false, false, true> };
      readonly links: { readonly [label: string]: { readonly entityName: string; readonly cardinality: 'many' } };
    };
  };
}

/** The untyped `tx`: any namespace, any attribute; values, ids and names are still checked at run time. */
export type UntypedTx = TypedTx<UnknownSchema>;

/** The `tx` type for a schema value (untyped for `undefined`). */
export type TxFor<S> = [S] extends [undefined] ? UntypedTx : S extends SchemaShape ? TypedTx<S> : UntypedTx;
