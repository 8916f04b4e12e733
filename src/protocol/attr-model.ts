/**
 * An attribute in Instant's attr model (spec §9.2) without its ids: what a schema declares and what
 * `add-attr` carries. The server's stored attribute and a backup's declared one both are this.
 */
export interface AttrModel {
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
}

/** The ids an attribute goes by on the wire: its own, and its forward and reverse identities'. */
export interface AttrIds {
  readonly id: string;
  /** Defaults to `<id>-f`. */
  readonly fwdIdentId?: string;
  /** Defaults to `<id>-r`. */
  readonly revIdentId?: string;
}

/**
 * Instant's wire form of an attribute, as `add-attr` takes it and `/admin/schema` answers it.
 *
 * @example
 * attrToWire({ ns: 'goals', label: 'title', revNs: null, revLabel: null, valueType: 'blob', cardinality: 'one', unique: false, indexed: false, required: false, checkedType: 'string', onDelete: null, onDeleteReverse: null, id: goalId })
 * // { id: goalId, 'forward-identity': [`${goalId}-f`, 'goals', 'title'], 'value-type': 'blob', cardinality: 'one', … }
 */
export function attrToWire(attr: AttrModel & AttrIds): Record<string, unknown> {
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
