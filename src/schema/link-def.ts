import type { Cardinality } from './value-types.ts';

/** One side of a link as written in a schema's `links`. */
export interface LinkSideDef {
  readonly on: string;
  readonly has: Cardinality;
  readonly label: string;
  readonly onDelete?: 'cascade';
  readonly required?: boolean;
}

/** A link between two namespaces: `{forward: {on, has, label}, reverse: {on, has, label}}`. */
export interface LinkDef {
  readonly forward: LinkSideDef;
  readonly reverse: LinkSideDef;
}

/** A schema's `links` object, keyed by link name. */
export type LinksDef = { readonly [name: string]: LinkDef };

/**
 * The link as seen from one namespace: the label points at `entityName` with `cardinality` targets.
 * Field names match `@instantdb/admin`'s `LinkAttrDef`.
 */
export interface LinkAttrDef<C extends Cardinality = Cardinality, EntityName extends string = string> {
  readonly cardinality: C;
  readonly entityName: EntityName;
}
