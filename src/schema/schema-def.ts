import type { AnyEntityDef, EntityDef } from './entity-def.ts';
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

type ForwardLinksOf<L extends LinksDef, N> = {
  [K in keyof L as L[K]['forward']['on'] extends N ? L[K]['forward']['label'] : never]: LinkAttrDef<
    L[K]['forward']['has'],
    L[K]['reverse']['on']
  >;
};

type ReverseLinksOf<L extends LinksDef, N> = {
  [K in keyof L as L[K]['reverse']['on'] extends N ? L[K]['reverse']['label'] : never]: LinkAttrDef<
    L[K]['reverse']['has'],
    L[K]['forward']['on']
  >;
};

/** Each namespace's definition with the links that touch it, computed once per schema. */
export type EntitiesWithLinks<E extends EntitiesDef, L extends LinksDef> = {
  readonly [N in keyof E]: EntityDef<E[N]['attrs'], ForwardLinksOf<L, N> & ReverseLinksOf<L, N>>;
};
