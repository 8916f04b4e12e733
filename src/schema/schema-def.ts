import type { AnyEntityDef } from './entity-def.ts';
import type { LinkAttrDef, LinksDef } from './link-def.ts';

/** A schema's `entities` object, keyed by namespace. */
export type EntitiesDef = { readonly [namespace: string]: AnyEntityDef };

/**
 * A whole schema: namespaces with their attributes and links. Made by `i.schema(...)`.
 *
 * @example
 * const schema = i.schema({ entities: { goals: i.entity({ title: i.string() }) }, links: {} });
 */
export class InstantSchemaDef<Entities extends EntitiesDef, Links extends LinksDef> {
  readonly entities: Entities;
  readonly links: Links;

  constructor(entities: Entities, links: Links) {
    this.entities = Object.freeze({ ...entities });
    this.links = Object.freeze({ ...links });
    Object.freeze(this);
  }
}

/** Any schema made by `i.schema`. */
export type AnySchema = InstantSchemaDef<EntitiesDef, LinksDef>;

/**
 * Every link end as one union member `{ns, label, def}`, computed once per schema (the first time a link
 * is typed). A per-namespace mapped type over all links (the obvious formulation) costs
 * O(namespaces × links) instantiations and dominated type-checking.
 */
type LinkEnds<L extends LinksDef> = {
  [K in keyof L]:
    | {
        ns: L[K]['forward']['on'];
        label: L[K]['forward']['label'];
        def: LinkAttrDef<L[K]['forward']['has'], L[K]['reverse']['on']>;
      }
    | {
        ns: L[K]['reverse']['on'];
        label: L[K]['reverse']['label'];
        def: LinkAttrDef<L[K]['reverse']['has'], L[K]['forward']['on']>;
      };
}[keyof L];

/**
 * Each namespace's links keyed by label, computed once per schema and only when links are first used.
 * Key remapping unions the ends that start at the same namespace into one property, whose type is
 * resolved lazily, so finding a namespace's links is one property read instead of filtering every link
 * end per namespace. The string index signature makes a namespace without links read as `{}` without a
 * `keyof` of this type, which TypeScript does not cache for remapped mapped types and would recompute.
 */
type LinksByNamespace<L extends LinksDef> = {
  readonly [E in LinkEnds<L> as E['ns']]: { readonly [End in E as End['label']]: End['def'] };
} & { readonly [namespace: string]: {} };

/**
 * The links of namespace N, keyed by label, derived from a schema's top-level `links` (the same shape
 * in our schemas and `@instantdb/admin`'s). Entity types deliberately do not carry it: matching an
 * entity type would then compute every namespace's link map, even where only attributes are used.
 */
export type LinksOfNamespace<L extends LinksDef, N> = LinksByNamespace<L>[N & string];
