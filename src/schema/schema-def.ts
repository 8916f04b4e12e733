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
 * Every link end as one union member `{ns, label, def}`, computed once per schema. A per-namespace
 * mapped type over all links (the obvious formulation) costs O(namespaces × links) instantiations and
 * dominated type-checking; filtering this union costs little and happens only for namespaces in use.
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
 * The links of namespace N, keyed by label, derived from a schema's top-level `links` (the same shape
 * in our schemas and `@instantdb/admin`'s). Entity types deliberately do not carry it: matching an
 * entity type would then compute every namespace's link map, even where only attributes are used.
 */
export type LinksOfNamespace<L extends LinksDef, N> = {
  [E in Extract<LinkEnds<L>, { ns: N }> as E['label']]: E['def'];
};
