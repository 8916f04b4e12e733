import type { AttrModel } from '../../protocol/attr-model.ts';

export { attrToWire } from '../../protocol/attr-model.ts';

/** An attribute as the server stores it (Instant's attr model, spec §9.2, with its ids). */
export interface Attr extends AttrModel {
  readonly id: string;
  /** Ids of the forward and reverse identities, when `add-attr` named them. */
  readonly fwdIdentId?: string;
  readonly revIdentId?: string;
  /** The value types written to it so far, as a bit set (see `inferred-types.ts`); absent when none. */
  readonly inferredTypes?: number;
}

/** What Instant records when it soft-deletes an attribute (its `soft_delete_snapshot`). */
export interface SoftDeleteSnapshot {
  /** Whether it was indexed and required: deleting it clears both. */
  readonly indexed: boolean;
  readonly required: boolean;
  /** The `id` attribute of its namespace when it was deleted, if there was one. */
  readonly idAttrId: string | null;
}

/**
 * A soft-deleted attribute: out of the app (no query, check or label sees it), its names branded
 * `<id>_deleted$<name>` so new attributes may take them, kept until the grace period ends.
 */
export interface SoftDeletedAttr extends Attr {
  /** When it was deleted (ms since the epoch). */
  readonly deletedAt: number;
  readonly snapshot: SoftDeleteSnapshot;
}

/** Days a soft-deleted attribute is kept before it and its triples are deleted for good (Instant's). */
export const GRACE_PERIOD_DAYS = 2;

/**
 * What an attribute is unless said otherwise: an untyped, unindexed, cardinality-one data attribute
 * (what Instant creates for a key written without a schema).
 *
 * @example
 * const attr: Attr = { ...ATTR_DEFAULTS, id: id(), ns: 'goals', label: 'title', checkedType: 'string' };
 */
export const ATTR_DEFAULTS = Object.freeze({
  revNs: null,
  revLabel: null,
  valueType: 'blob',
  cardinality: 'one',
  unique: false,
  indexed: false,
  required: false,
  checkedType: null,
  onDelete: null,
  onDeleteReverse: null,
} as const);
