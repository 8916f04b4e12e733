export { i } from './i.ts';
export {
  DataAttrDef,
  type AnyDataAttrDef,
  type AttrConfig,
  type AttrIsRequired,
  type AttrIsUnique,
  type AttrValue,
} from './data-attr-def.ts';
export { EntityDef, type AnyEntityDef, type AttrsDefs, type EntityLinks } from './entity-def.ts';
export type { LinkAttrDef, LinkDef, LinkSideDef, LinksDef } from './link-def.ts';
export { InstantSchemaDef, type AnySchema, type EntitiesDef, type LinksOfNamespace } from './schema-def.ts';
export { indexSchema, type AttrInfo, type LinkInfo, type NamespaceInfo, type SchemaIndex } from './schema-index.ts';
export type { Cardinality, ValueTypeInputs, ValueTypeName } from './value-types.ts';
