import type { AnyDataAttrDef } from './data-attr-def.ts';
import type { LinkAttrDef } from './link-def.ts';

/** A namespace's data attributes, keyed by name. */
export type AttrsDefs = { readonly [name: string]: AnyDataAttrDef };

/** A namespace's links as seen from it, keyed by label. */
export type EntityLinks = { readonly [label: string]: LinkAttrDef };

/**
 * The definition of one namespace: its attributes and (once in a schema) its links.
 *
 * @example
 * const goals = i.entity({ title: i.string() });
 */
export class EntityDef<Attrs extends AttrsDefs, Links extends EntityLinks = {}> {
  readonly attrs: Attrs;
  readonly links: Links;

  constructor(attrs: Attrs, links: Links) {
    this.attrs = Object.freeze({ ...attrs });
    this.links = Object.freeze({ ...links });
    Object.freeze(this);
  }
}

/** Any namespace definition. */
export type AnyEntityDef = EntityDef<AttrsDefs, EntityLinks>;
