export { TxChunk, appendSteps, getSteps } from './chunk.ts';
export { draftChanges, type DraftChanges } from './change.ts';
export { id } from './id.ts';
export {
  lookup,
  isLookup,
  parseEntityRef,
  describeEntityRef,
  type EntityRef,
  type Lookup,
  type LookupKey,
  type PlainId,
} from './lookup.ts';
export { isPlainObject } from './copy-json.ts';
export type { RecordedLinkTarget, RecordedLinks, RecordedStep, RecordedAction } from './recorded-step.ts';
export { tx, txFor } from './tx-builder.ts';
export type * from './types.ts';
