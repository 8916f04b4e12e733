import type { DatabaseSync } from 'node:sqlite';
import type { Attr } from './attr.ts';

interface AttrRow {
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
}

const key = (ns: string, label: string): string => `${ns}\u0000${label}`;

/** A link label as seen from one namespace: its attribute, whether the namespace is the forward side, and the other side. */
export interface LinkEnd {
  readonly attr: Attr;
  readonly forward: boolean;
  readonly target: string;
}

/**
 * The app's attributes, mirrored in memory for lookups by id, by `(ns, label)` forward and by
 * `(ns, label)` reverse. Writes go to SQLite and the mirror; after a rollback, `reload()` resyncs.
 */
export class AttrRegistry {
  readonly #db: DatabaseSync;
  #byId = new Map<string, Attr>();
  #forward = new Map<string, Attr>();
  #reverse = new Map<string, Attr>();

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.reload();
  }

  /** Reads every attribute from SQLite again. */
  reload(): void {
    this.#byId = new Map();
    this.#forward = new Map();
    this.#reverse = new Map();
    for (const row of this.#db.prepare('SELECT * FROM attrs').all() as unknown as AttrRow[])
      this.#remember(fromRow(row));
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

  /** Every attribute. */
  all(): Attr[] {
    return [...this.#byId.values()];
  }

  /** Stores a new attribute. */
  add(attr: Attr): void {
    this.#db
      .prepare(`INSERT INTO attrs (id, ns, label, rev_ns, rev_label, value_type, cardinality, is_unique, is_indexed, is_required, checked_type, on_delete, on_delete_reverse, fwd_ident_id, rev_ident_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
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

  /** Deletes an attribute and, by cascade, its triples. */
  remove(id: string): void {
    this.#db.prepare('DELETE FROM attrs WHERE id = ?').run(id);
    this.reload();
  }
}

function fromRow(row: AttrRow): Attr {
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
  };
}
