import { createHash } from 'node:crypto';
import type { Attr, SoftDeletedAttr } from '../store/attr.ts';
import { type InferredType, inferredTypesOf } from '../store/inferred-types.ts';
import { isSystemColumn } from '../transact/system-catalog.ts';

/** An attribute as Instant's admin routes show it (its attr model: kebab keys, `?` on flags). */
export type AttrRecord = Record<string, unknown>;

/**
 * A UUID made from `name` (SHA-1, RFC 4122 layout), the same every time: the identity id shown for an
 * attribute made before identities kept theirs.
 */
function stableUuid(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The inferred types Instant shows: a system attribute's are fixed by its catalog (`json` for `meta`,
 * `string` for the rest); an app attribute's are those written so far, or `null` before any.
 */
function inferredTypes(attr: Attr, system: boolean): InferredType[] | null {
  if (system) return attr.label === 'meta' ? ['json'] : ['string'];
  return attr.inferredTypes === undefined ? null : inferredTypesOf(attr.inferredTypes);
}

/**
 * The record of an attribute, with Instant's keys in its order: `catalog` is `system` for the system
 * catalog's attributes, `user` for the app's; optional keys appear only when set.
 */
export function attrRecord(attr: Attr): AttrRecord {
  const system = isSystemColumn(attr.ns, attr.label);
  return {
    id: attr.id,
    'value-type': attr.valueType,
    cardinality: attr.cardinality,
    'forward-identity': [attr.fwdIdentId ?? stableUuid(`${attr.id}/forward`), attr.ns, attr.label],
    'unique?': attr.unique,
    'index?': attr.indexed,
    'required?': attr.required,
    'inferred-types': inferredTypes(attr, system),
    catalog: system ? 'system' : 'user',
    ...(attr.onDelete ? { 'on-delete': attr.onDelete } : {}),
    ...(attr.onDeleteReverse ? { 'on-delete-reverse': attr.onDeleteReverse } : {}),
    ...(attr.revNs
      ? { 'reverse-identity': [attr.revIdentId ?? stableUuid(`${attr.id}/reverse`), attr.revNs, attr.revLabel] }
      : {}),
    ...(attr.checkedType ? { 'checked-data-type': attr.checkedType } : {}),
  };
}

/**
 * The record of a soft-deleted attribute: its branded names, `index?` and `required?` cleared, the
 * deletion time (UTC, to the second, as Instant's JSON writes timestamps) and the metadata Instant
 * keeps (`soft_delete_snapshot`).
 */
export function softDeletedRecord(attr: SoftDeletedAttr): AttrRecord {
  const { indexed, required, idAttrId } = attr.snapshot;
  return {
    ...attrRecord(attr),
    catalog: 'user',
    'deletion-marked-at': new Date(attr.deletedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    metadata: { soft_delete_snapshot: { is_indexed: indexed, is_required: required, id_attr_id: idAttrId } },
  };
}
