import type { Attr, SoftDeletedAttr } from './attr.ts';

/** A row of the `attrs` table. */
export interface AttrRow {
  id: string;
  ns: string;
  label: string;
  rev_ns: string | null;
  rev_label: string | null;
  value_type: 'blob' | 'ref';
  cardinality: 'one' | 'many';
  is_unique: number;
  is_indexed: number;
  is_required: number;
  checked_type: string | null;
  on_delete: string | null;
  on_delete_reverse: string | null;
  fwd_ident_id: string | null;
  rev_ident_id: string | null;
  inferred_types: number | null;
  deletion_marked_at: number | null;
  /** JSON, as Instant keeps it: `{"soft_delete_snapshot": {is_indexed, is_required, id_attr_id}}`. */
  metadata: string | null;
}

/** The attribute a row holds. */
export function attrFromRow(row: AttrRow): Attr {
  return {
    id: row.id,
    ns: row.ns,
    label: row.label,
    revNs: row.rev_ns,
    revLabel: row.rev_label,
    valueType: row.value_type,
    cardinality: row.cardinality,
    unique: row.is_unique === 1,
    indexed: row.is_indexed === 1,
    required: row.is_required === 1,
    checkedType: row.checked_type,
    onDelete: row.on_delete,
    onDeleteReverse: row.on_delete_reverse,
    ...(row.fwd_ident_id === null ? {} : { fwdIdentId: row.fwd_ident_id }),
    ...(row.rev_ident_id === null ? {} : { revIdentId: row.rev_ident_id }),
    ...(row.inferred_types === null ? {} : { inferredTypes: row.inferred_types }),
  };
}

interface StoredSnapshot {
  soft_delete_snapshot?: { is_indexed?: boolean; is_required?: boolean; id_attr_id?: string | null };
}

/** The soft-deleted attribute a row holds (its `deletion_marked_at` is set). */
export function softDeletedFromRow(row: AttrRow): SoftDeletedAttr {
  const stored = (row.metadata === null ? {} : JSON.parse(row.metadata)) as StoredSnapshot;
  const snapshot = stored.soft_delete_snapshot ?? {};
  return {
    ...attrFromRow(row),
    deletedAt: row.deletion_marked_at ?? 0,
    snapshot: {
      indexed: snapshot.is_indexed === true,
      required: snapshot.is_required === true,
      idAttrId: snapshot.id_attr_id ?? null,
    },
  };
}

/**
 * The `metadata` Instant stores for a soft-deleted attribute, as JSON.
 */
export function snapshotMetadata(attr: Attr, idAttrId: string | null): string {
  return JSON.stringify({
    soft_delete_snapshot: { is_indexed: attr.indexed, is_required: attr.required, id_attr_id: idAttrId },
  });
}
