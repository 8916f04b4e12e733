import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Attr, SoftDeletedAttr } from './attr.ts';
import { type AttrRow, attrFromRow, snapshotMetadata, softDeletedFromRow } from './attr-row.ts';
import { inferredTypeBit, type InferredType } from './inferred-types.ts';

const key = (ns: string, label: string): string => `${ns}\u0000${label}`;

/** A link label as seen from one namespace: its attribute, whether the namespace is the forward side, and the other side. */
export interface LinkEnd {
  readonly attr: Attr;
  readonly forward: boolean;
  readonly target: string;
}

/** Instant's branding of a soft-deleted attribute's names, in SQL: `<id>_deleted$<name>`. */
const BRANDED = (column: string): string =>
  `CASE WHEN ${column} IS NULL THEN NULL ELSE id || '_deleted$' || ${column} END`;

/**
 * The app's attributes, mirrored in memory for lookups by id, by `(ns, label)` forward and by
 * `(ns, label)` reverse. Writes go to SQLite and the mirror; after a rollback, `reload()` resyncs.
 * Soft-deleted attributes stay in SQLite only: nothing that reads the mirror sees them.
 */
export class AttrRegistry {
  /** Every statement, prepared once: attributes are read and written on the hot path of writes. */
  readonly #sql: Readonly<
    Record<'sweep' | 'live' | 'insert' | 'inferred' | 'softDelete' | 'isSoftDeleted' | 'softDeleted', StatementSync>
  >;
  #byId = new Map<string, Attr>();
  #forward = new Map<string, Attr>();
  #reverse = new Map<string, Attr>();

  constructor(db: DatabaseSync) {
    this.#sql = {
      sweep: db.prepare('DELETE FROM attrs WHERE deletion_marked_at IS NOT NULL AND deletion_marked_at <= ?'),
      live: db.prepare('SELECT * FROM attrs WHERE deletion_marked_at IS NULL'),
      insert:
        db.prepare(`INSERT INTO attrs (id, ns, label, rev_ns, rev_label, value_type, cardinality, is_unique, is_indexed, is_required, checked_type, on_delete, on_delete_reverse, fwd_ident_id, rev_ident_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      inferred: db.prepare('UPDATE attrs SET inferred_types = ? WHERE id = ?'),
      softDelete: db.prepare(
        `UPDATE attrs SET deletion_marked_at = ?, metadata = ?, is_indexed = 0, is_required = 0,
          ns = ${BRANDED('ns')}, label = ${BRANDED('label')}, rev_ns = ${BRANDED('rev_ns')}, rev_label = ${BRANDED('rev_label')}
        WHERE id = ? AND deletion_marked_at IS NULL`,
      ),
      isSoftDeleted: db.prepare('SELECT 1 FROM attrs WHERE id = ? AND deletion_marked_at IS NOT NULL'),
      softDeleted: db.prepare('SELECT * FROM attrs WHERE deletion_marked_at IS NOT NULL ORDER BY id'),
    };
    this.reload();
  }

  /** Reads every live (not soft-deleted) attribute from SQLite again. */
  reload(): void {
    this.#byId = new Map();
    this.#forward = new Map();
    this.#reverse = new Map();
    const rows = this.#sql.live.all();
    for (const row of rows as unknown as AttrRow[]) this.#remember(attrFromRow(row));
  }

  #remember(attr: Attr): void {
    this.#byId.set(attr.id, attr);
    this.#forward.set(key(attr.ns, attr.label), attr);
    if (attr.revNs && attr.revLabel) this.#reverse.set(key(attr.revNs, attr.revLabel), attr);
  }

  /** The attribute with this id. */
  byId(id: string): Attr | undefined {
    return this.#byId.get(id);
  }

  /** The attribute `ns.label` in its forward direction. */
  forward(ns: string, label: string): Attr | undefined {
    return this.#forward.get(key(ns, label));
  }

  /** The link attribute whose reverse side is `ns.label`. */
  reverse(ns: string, label: string): Attr | undefined {
    return this.#reverse.get(key(ns, label));
  }

  /**
   * The link `ns.label`, whether `label` is its forward or its reverse label, or undefined. Only `ref`
   * attributes are links (a data attribute may carry a reverse identity too).
   */
  link(ns: string, label: string): LinkEnd | undefined {
    const forward = this.forward(ns, label);
    if (forward?.valueType === 'ref') return { attr: forward, forward: true, target: forward.revNs! };
    const reverse = this.reverse(ns, label);
    return reverse?.valueType === 'ref' ? { attr: reverse, forward: false, target: reverse.ns } : undefined;
  }

  /** Every live attribute. */
  all(): Attr[] {
    return [...this.#byId.values()];
  }

  /** Stores a new attribute. */
  add(attr: Attr): void {
    this.#sql.insert.run(
      attr.id,
      attr.ns,
      attr.label,
      attr.revNs,
      attr.revLabel,
      attr.valueType,
      attr.cardinality,
      Number(attr.unique),
      Number(attr.indexed),
      Number(attr.required),
      attr.checkedType,
      attr.onDelete,
      attr.onDeleteReverse,
      attr.fwdIdentId ?? null,
      attr.revIdentId ?? null,
    );
    this.#remember(attr);
  }

  /** Adds `type` to the value types inferred for a live attribute (a write only when it is new). */
  addInferredType(id: string, type: InferredType): void {
    const attr = this.#byId.get(id);
    const bits = attr?.inferredTypes ?? 0;
    if (!attr || (bits & inferredTypeBit(type)) !== 0) return;
    const inferredTypes = bits | inferredTypeBit(type);
    this.#sql.inferred.run(inferredTypes, id);
    this.#remember({ ...attr, inferredTypes });
  }

  /**
   * Soft-deletes a live attribute as Instant does: it leaves the app, is no longer indexed nor
   * required, its names are branded `<id>_deleted$<name>` (freeing them), and a snapshot of what it
   * was (with its namespace's `id` attribute, `idAttrId`) is kept with the time `at`. Its triples stay
   * until {@link AttrRegistry.sweep}. An unknown id changes nothing.
   */
  softDelete(id: string, idAttrId: string | null, at: number): void {
    const attr = this.#byId.get(id);
    if (!attr) return;
    this.#sql.softDelete.run(at, snapshotMetadata(attr, idAttrId), id);
    this.reload();
  }

  /** True when the attribute with this id is soft-deleted (its id stays taken until the sweep). */
  isSoftDeleted(id: string): boolean {
    return this.#sql.isSoftDeleted.get(id) !== undefined;
  }

  /** The soft-deleted attributes, by id. */
  softDeleted(): SoftDeletedAttr[] {
    const rows = this.#sql.softDeleted.all();
    return (rows as unknown as AttrRow[]).map(softDeletedFromRow);
  }

  /**
   * Deletes for good the attributes soft-deleted at or before `before` (ms), and by cascade their
   * triples; returns how many.
   */
  sweep(before: number): number {
    return Number(this.#sql.sweep.run(before).changes);
  }
}
