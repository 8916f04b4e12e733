import type { JsonObject, JsonValue } from './json.ts';

/** An entity reference in the id position of a step: a UUID or a lookup pair `[attr, value]`. */
export type WireEntityId = string | readonly [attribute: string, value: JsonValue];

/** A link target: a UUID, a lookup string `lookup__attr__<json>`, or a `{attr: value}` lookup object. */
export type WireLinkTarget = string | JsonObject;

/** The object of a `link`/`unlink` step: each label maps to one target or many. */
export type WireLinks = { readonly [label: string]: WireLinkTarget | readonly WireLinkTarget[] };

/** Options of `update` and `merge`; `{upsert: false}` makes the step fail when the entity is missing. */
export type WireUpsertOpts = { readonly upsert?: boolean | null };

export type CreateStep = readonly [action: 'create', namespace: string, id: WireEntityId, attrs: JsonObject];
export type UpdateStep =
  | readonly [action: 'update', namespace: string, id: WireEntityId, attrs: JsonObject]
  | readonly [action: 'update', namespace: string, id: WireEntityId, attrs: JsonObject, opts: WireUpsertOpts];
export type MergeStep =
  | readonly [action: 'merge', namespace: string, id: WireEntityId, attrs: JsonObject]
  | readonly [action: 'merge', namespace: string, id: WireEntityId, attrs: JsonObject, opts: WireUpsertOpts];
export type LinkStep = readonly [action: 'link', namespace: string, id: WireEntityId, links: WireLinks];
export type UnlinkStep = readonly [action: 'unlink', namespace: string, id: WireEntityId, links: WireLinks];
/** Instant ignores the fourth slot; the official SDK always sends it as `null`, and so do we. */
export type DeleteStep = readonly [action: 'delete', namespace: string, id: WireEntityId, args: null];
export type RuleParamsStep = readonly [action: 'ruleParams', namespace: string, id: WireEntityId, params: JsonObject];
export type AddAttrStep = readonly [action: 'add-attr', attr: JsonObject];
export type DeleteAttrStep = readonly [action: 'delete-attr', attrId: string];

/** A step a transaction chunk compiles to. */
export type EntityStep = CreateStep | UpdateStep | MergeStep | LinkStep | UnlinkStep | DeleteStep | RuleParamsStep;

/** Any step `POST /admin/transact` accepts in its `steps` array. */
export type Step = EntityStep | AddAttrStep | DeleteAttrStep;

/**
 * The action names of {@link EntityStep}s, in the order the DSL documents them.
 *
 * @example
 * ENTITY_ACTIONS // ['create', 'update', 'merge', 'link', 'unlink', 'delete', 'ruleParams']
 */
export const ENTITY_ACTIONS = Object.freeze([
  'create',
  'update',
  'merge',
  'link',
  'unlink',
  'delete',
  'ruleParams',
] as const);

/** One of {@link ENTITY_ACTIONS}. */
export type EntityAction = EntityStep[0];
