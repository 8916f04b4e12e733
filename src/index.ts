export { i } from './schema/i.ts';
export {
  DataAttrDef,
  EntityDef,
  InstantSchemaDef,
  indexSchema,
  type AnySchema,
  type AttrInfo,
  type Cardinality,
  type EntitiesDef,
  type LinkAttrDef,
  type LinkDef,
  type LinksDef,
  type NamespaceInfo,
  type SchemaIndex,
  type ValueTypeName,
} from './schema/index.ts';
export {
  TxChunk,
  getSteps,
  id,
  lookup,
  tx,
  txFor,
  type Chunk,
  type CreateAttrs,
  type EntityRef,
  type EntityRefInput,
  type JsonInput,
  type LinkArgs,
  type Lookup,
  type LookupKey,
  type MergeAttrs,
  type NamespaceBuilder,
  type NamespaceName,
  type RecordedStep,
  type TxFor,
  type TypedTx,
  type UniqueAttrName,
  type UntypedTx,
  type UpdateAttrs,
  type UpsertOpts,
} from './builder/index.ts';
export { compile, type ChunkInput, type CompileOptions } from './compiler/index.ts';
export * from './errors/index.ts';
export * from './protocol/index.ts';
export * from './client/index.ts';
export * from './backup/index.ts';
