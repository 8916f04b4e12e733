export { isPlainObject, type JsonObject, type JsonValue } from './json.ts';
export { isUuid } from './uuid.ts';
export { MAX_JSON_DEPTH } from './json-limits.ts';
export { canWriteLookupString, formatLookupString, parseLookupString, LOOKUP_STRING_PREFIX } from './lookup-string.ts';
export {
  ENTITY_ACTIONS,
  type AddAttrStep,
  type CreateStep,
  type DeleteAttrStep,
  type DeleteStep,
  type EntityAction,
  type EntityStep,
  type LinkStep,
  type MergeStep,
  type RuleParamsStep,
  type Step,
  type UnlinkStep,
  type UpdateStep,
  type WireEntityId,
  type WireLinkTarget,
  type WireLinks,
  type WireUpsertOpts,
} from './steps.ts';
