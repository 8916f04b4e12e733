import type { Draft } from 'immer';
import type { AttrIsRequired, AttrValue, DataAttrDef } from '../schema/data-attr-def.ts';
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

// How the types stay cheap to check: every per-namespace type below is a small mapped type over the
// namespace's attribute (or link) definitions `A`, computed once per namespace, whose property types are
// aliases of one definition `A[K]` (`UpdateValue<D>`, ...). TypeScript caches an alias instantiation by
// its arguments, and a schema has only a handful of distinct definition types (`i.string()` is the same
// type in every namespace), so the conditional types run once per definition type, not per namespace.
// Spelling the templates out over `AttrsOf<S, N>[K]` instead re-instantiated `S`, `N` and the
// conditionals for every attribute of every namespace (~25% more instantiations in bench/typecheck.ts).

/** What `update` accepts for one attribute definition: `null` only for an optional one. */
type UpdateValue<D> = AttrIsRequired<D> extends true ? AttrInput<D> : AttrInput<D> | null;

/** `update`'s attributes over a namespace's definitions. */
type UpdateAttrsOf<A> = { readonly [K in keyof A]?: UpdateValue<A[K]> };

/** The attributes `update` accepts: any subset; `null` only for optional ones. */
export type UpdateAttrs<S extends SchemaShape, N extends NamespaceName<S>> = UpdateAttrsOf<AttrsOf<S, N>>;

/** `create`'s attributes over a namespace's definitions. */
type CreateAttrsOf<A> = { readonly [K in RequiredKeys<A>]: AttrInput<A[K]> } & {
  readonly [K in OptionalKeys<A>]?: AttrInput<A[K]> | null;
};

/** The attributes `create` needs: every required one, optionally the rest. */
export type CreateAttrs<S extends SchemaShape, N extends NamespaceName<S>> = CreateAttrsOf<AttrsOf<S, N>>;

/** A deep-merge patch of a JSON value: any part of it, with `null` deleting a key. */
export type MergePatch<T> = T extends readonly unknown[] | Date
  ? T
  : T extends object
    ? { readonly [K in keyof T]?: MergePatch<T[K]> | null }
    : T;

/** What `merge` accepts for one attribute: a deep patch of a typed value, any JSON for an untyped one. */
type MergeValue<D> = (unknown extends AttrValue<D> ? JsonInput : MergePatch<AttrValue<D>>) | null;

/** `merge`'s attributes over a namespace's definitions. */
type MergeAttrsOf<A> = { readonly [K in keyof A]?: MergeValue<A[K]> };

/** The attributes `merge` accepts: deep patches of each. */
export type MergeAttrs<S extends SchemaShape, N extends NamespaceName<S>> = MergeAttrsOf<AttrsOf<S, N>>;

/** The unique attributes among a namespace's definitions (matched inline: one conditional per attribute, not two). */
// biome-ignore lint/suspicious/noExplicitAny: matches any value type; `unknown` would not (variance)
type UniqueKeysOf<A> = { [K in keyof A]: A[K] extends DataAttrDef<any, boolean, boolean, true> ? K : never }[keyof A] &
  string;

/** The unique attributes of a namespace: the ones `lookup` may use. */
export type UniqueAttrName<S extends SchemaShape, N extends NamespaceName<S>> = UniqueKeysOf<AttrsOf<S, N>>;

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

/** `link`'s argument for a namespace without links: no label is known (`{}` would take any label). */
interface NoLinkArgs {
  readonly [label: string]: never;
}

/** `link`'s argument over a namespace's links. */
type LinkArgsOf<S extends SchemaShape, Links> = [keyof Links] extends [never]
  ? NoLinkArgs
  : { readonly [L in keyof Links]?: LinkTarget<S, Links[L]> };

/** The object `link`/`unlink` accept: known labels, to-one labels take one target. */
export type LinkArgs<S extends SchemaShape, N extends NamespaceName<S>> = LinkArgsOf<S, LinksOf<S, N>>;

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
