/** An attribute as the server stores it (Instant's attr model, spec §9.2). */
export interface Attr {
  readonly id: string;
  readonly ns: string;
  readonly label: string;
  readonly revNs: string | null;
  readonly revLabel: string | null;
  readonly valueType: 'blob' | 'ref';
  readonly cardinality: 'one' | 'many';
  readonly unique: boolean;
  readonly indexed: boolean;
  readonly required: boolean;
  readonly checkedType: string | null;
  readonly onDelete: string | null;
  readonly onDeleteReverse: string | null;
  /** Ids of the forward and reverse identities, when `add-attr` named them. */
  readonly fwdIdentId?: string;
  readonly revIdentId?: string;
}

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

/**
 * Instant's wire form of an attribute, as `add-attr` takes it.
 */
export function attrToWire(attr: Attr): Record<string, unknown> {
  return {
    id: attr.id,
    'forward-identity': [attr.fwdIdentId ?? `${attr.id}-f`, attr.ns, attr.label],
    ...(attr.revNs ? { 'reverse-identity': [attr.revIdentId ?? `${attr.id}-r`, attr.revNs, attr.revLabel] } : {}),
    'value-type': attr.valueType,
    cardinality: attr.cardinality,
    'unique?': attr.unique,
    'index?': attr.indexed,
    'required?': attr.required,
    ...(attr.checkedType ? { 'checked-data-type': attr.checkedType } : {}),
    ...(attr.onDelete ? { 'on-delete': attr.onDelete } : {}),
    ...(attr.onDeleteReverse ? { 'on-delete-reverse': attr.onDeleteReverse } : {}),
  };
}
