import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { emptyFootprint, type DataFootprint } from './data-footprint.ts';
import { RequestBudget } from './request-budget.ts';

/** An attribute's value (as stored JSON text) that a page's entities must have. */
export interface RequiredValue {
  readonly a: string;
  readonly v: string;
}

/** One stored fact: entity, attribute, JSON value, creation time (ms). */
export interface Triple {
  readonly e: string;
  readonly a: string;
  readonly v: unknown;
  readonly createdAt: number;
}

interface Row {
  e: string;
  a: string;
  v: string;
  created_at: number;
}

const toTriple = (row: Row): Triple => ({
  e: row.e,
  a: row.a,
  v: JSON.parse(row.v) as unknown,
  createdAt: row.created_at,
});

/**
 * Reads and writes triples with prepared statements. Values are stored as JSON text, so a ref's value
 * is the JSON string of the target's id. Every write remembers the `(entity, attribute)` pair it
 * touched until {@link TripleStore.takeTouched} (the check of required attributes reads them).
 * On request it also records what reads looked at ({@link TripleStore.trackReads}, for live queries) and
 * what writes changed ({@link TripleStore.trackChanges}, for commit notifications); untracked, each
 * read and write pays one field check.
 */
export class TripleStore {
  readonly #byE: StatementSync;
  readonly #byEs: StatementSync;
  readonly #byEA: StatementSync;
  readonly #byAV: StatementSync;
  readonly #byA: StatementSync;
  readonly #insert: StatementSync;
  readonly #deleteEA: StatementSync;
  readonly #deleteEAV: StatementSync;
  readonly #deleteAV: StatementSync;
  readonly #page: StatementSync;
  readonly #db: DatabaseSync;
  /** Page statements with that many required `(attribute, value)` pairs, prepared on first use. */
  readonly #filteredPages = new Map<number, StatementSync>();
  readonly #anyOfA: StatementSync;
  #touched = new Map<string, Set<string>>();
  /**
   * While a write runs: entities this write read and found without any triple, each with the attributes
   * it has written to them since. Reading another attribute of one answers [] without a statement (a
   * bulk import of new entities asks that of every attribute before setting it). Sound because only this
   * store inserts triples during a write, deletes cannot make an empty entity hold anything, and a
   * `ROLLBACK TO` (which can undo a delete) forgets them all ({@link TripleStore.forgetEmptyEntities}).
   */
  #emptyEntities: Map<string, Set<string>> | undefined;
  #reads: DataFootprint | undefined;
  #changes: DataFootprint | undefined;

  readonly #budget: RequestBudget;

  constructor(db: DatabaseSync, budget: RequestBudget = new RequestBudget()) {
    this.#budget = budget;
    this.#db = db;
    this.#byE = db.prepare('SELECT e, a, v, created_at FROM triples WHERE e = ?');
    this.#byEs = db.prepare('SELECT e, a, v, created_at FROM triples WHERE e IN (SELECT value FROM json_each(?))');
    this.#byEA = db.prepare('SELECT e, a, v, created_at FROM triples WHERE e = ? AND a = ?');
    // Pinned: without statistics SQLite may pick the (a, created_at) index and scan a whole attribute.
    this.#byAV = db.prepare('SELECT e, a, v, created_at FROM triples INDEXED BY triples_av WHERE a = ? AND v = ?');
    this.#byA = db.prepare('SELECT e, a, v, created_at FROM triples WHERE a = ?');
    this.#insert = db.prepare('INSERT OR IGNORE INTO triples (e, a, v, created_at) VALUES (?, ?, ?, ?)');
    this.#deleteEA = db.prepare('DELETE FROM triples WHERE e = ? AND a = ?');
    this.#deleteEAV = db.prepare('DELETE FROM triples WHERE e = ? AND a = ? AND v = ?');
    this.#deleteAV = db.prepare('DELETE FROM triples INDEXED BY triples_av WHERE a = ? AND v = ? RETURNING e');
    this.#anyOfA = db.prepare('SELECT 1 FROM triples INDEXED BY triples_av WHERE a = ? LIMIT 1');
    this.#page = db.prepare(
      'SELECT e, a, v, created_at FROM triples WHERE a = ? ORDER BY created_at, e LIMIT ? OFFSET ?',
    );
  }

  /**
   * One page of an attribute's triples in creation order (ties by entity id), counting only entities
   * that also have every `required` attribute value (JSON text), which SQLite checks through the
   * primary key while it walks the (attribute, created_at) index.
   */
  page(a: string, limit: number, offset: number, required: readonly RequiredValue[] = []): Triple[] {
    this.#budget.check();
    this.#reads?.attrs.add(a);
    for (const { a: attr } of required) this.#reads?.attrs.add(attr);
    if (required.length === 0) return (this.#page.all(a, limit, offset) as unknown as Row[]).map(toTriple);
    const values = required.flatMap(({ a: attr, v }) => [attr, v]);
    return (this.#filteredPage(required.length).all(a, ...values, limit, offset) as unknown as Row[]).map(toTriple);
  }

  #filteredPage(count: number): StatementSync {
    let statement = this.#filteredPages.get(count);
    if (!statement) {
      const exists = ' AND EXISTS (SELECT 1 FROM triples f WHERE f.e = t.e AND f.a = ? AND f.v = ?)'.repeat(count);
      statement = this.#db.prepare(
        `SELECT t.e, t.a, t.v, t.created_at FROM triples t INDEXED BY triples_a_created WHERE t.a = ?${exists} ORDER BY t.created_at, t.e LIMIT ? OFFSET ?`,
      );
      this.#filteredPages.set(count, statement);
    }
    return statement;
  }

  /** Every triple of an entity. */
  ofEntity(e: string): Triple[] {
    this.#budget.check();
    this.#reads?.entities.add(e);
    const rows = this.#byE.all(e) as unknown as Row[];
    if (rows.length === 0 && !this.#emptyEntities?.has(e)) this.#emptyEntities?.set(e, new Set());
    return rows.map(toTriple);
  }

  /** Every triple of several entities, in one statement (a page of rows costs one read, not one per row). */
  ofEntities(es: readonly string[]): Triple[] {
    this.#budget.check();
    if (this.#reads) for (const e of es) this.#reads.entities.add(e);
    return (this.#byEs.all(JSON.stringify(es)) as unknown as Row[]).map(toTriple);
  }

  /** The triples of one entity and attribute. */
  values(e: string, a: string): Triple[] {
    this.#budget.check();
    this.#reads?.attrs.add(a);
    const written = this.#emptyEntities?.get(e);
    if (written && !written.has(a)) return [];
    return (this.#byEA.all(e, a) as unknown as Row[]).map(toTriple);
  }

  /** Triples whose attribute and value match: lookups and reverse links. */
  withValue(a: string, v: unknown): Triple[] {
    this.#budget.check();
    this.#reads?.attrs.add(a);
    return (this.#byAV.all(a, JSON.stringify(v)) as unknown as Row[]).map(toTriple);
  }

  /** Every triple of an attribute. */
  ofAttr(a: string): Triple[] {
    this.#budget.check();
    this.#reads?.attrs.add(a);
    return (this.#byA.all(a) as unknown as Row[]).map(toTriple);
  }

  /** True when any entity has a value for the attribute. */
  hasAny(a: string): boolean {
    this.#budget.check();
    this.#reads?.attrs.add(a);
    return this.#anyOfA.get(a) !== undefined;
  }

  /** Adds a triple (no-op if it exists). */
  insert(e: string, a: string, v: unknown, createdAt: number): void {
    this.#budget.check();
    this.#emptyEntities?.get(e)?.add(a);
    this.#insert.run(e, a, JSON.stringify(v), createdAt);
    this.#touch(e, a);
  }

  /** Removes every value of one entity's attribute. */
  clear(e: string, a: string): void {
    this.#budget.check();
    this.#deleteEA.run(e, a);
    this.#touch(e, a);
  }

  /** Removes one triple. */
  remove(e: string, a: string, v: unknown): void {
    this.#budget.check();
    this.#deleteEAV.run(e, a, JSON.stringify(v));
    this.#touch(e, a);
  }

  /** Removes every triple with this attribute and value (links pointing at an entity). */
  removeValue(a: string, v: unknown): void {
    this.#budget.check();
    for (const row of this.#deleteAV.all(a, JSON.stringify(v)) as unknown as { e: string }[]) this.#touch(row.e, a);
  }

  /**
   * The `(entity, attribute)` pairs written or removed since the last call (or {@link TripleStore.resetTouched}),
   * and forgets them.
   */
  takeTouched(): Map<string, Set<string>> {
    const touched = this.#touched;
    this.#touched = new Map();
    return touched;
  }

  /** Forgets the touched pairs (a new write starts). */
  resetTouched(): void {
    this.#touched = new Map();
  }

  /**
   * Marks a write's start (`true`) or end (`false`): only inside one may reads of entities found empty
   * be remembered (see `#emptyEntities`), and nothing is remembered from one write to the next.
   */
  setWriting(writing: boolean): void {
    this.#emptyEntities = writing ? new Map() : undefined;
  }

  /** Forgets which entities were found empty: a savepoint rolled back may have undone deletes. */
  forgetEmptyEntities(): void {
    this.#emptyEntities?.clear();
  }

  /** Starts recording what reads look at (anew), until {@link TripleStore.takeReads}. */
  trackReads(): void {
    this.#reads = emptyFootprint();
  }

  /** What reads looked at since {@link TripleStore.trackReads} (undefined when not tracking); stops recording. */
  takeReads(): DataFootprint | undefined {
    const reads = this.#reads;
    this.#reads = undefined;
    return reads;
  }

  /** Starts recording what writes change (anew), until {@link TripleStore.takeChanges}. */
  trackChanges(): void {
    this.#changes = emptyFootprint();
  }

  /** What writes changed since {@link TripleStore.trackChanges} (undefined when not tracking); stops recording. */
  takeChanges(): DataFootprint | undefined {
    const changes = this.#changes;
    this.#changes = undefined;
    return changes;
  }

  /**
   * Starts a nested record of changes for a savepoint: returns the outer record, which
   * {@link TripleStore.endNestedChanges} merges the nested one into (kept) or restores alone (rolled back),
   * so writes a `ROLLBACK TO` undid are not announced as changes.
   */
  beginNestedChanges(): DataFootprint | undefined {
    const outer = this.#changes;
    if (outer) this.#changes = emptyFootprint();
    return outer;
  }

  /** Ends a nested record begun by {@link TripleStore.beginNestedChanges}; `kept` is whether the savepoint was. */
  endNestedChanges(outer: DataFootprint | undefined, kept: boolean): void {
    const nested = this.#changes;
    if (outer && nested && kept) {
      for (const e of nested.entities) outer.entities.add(e);
      for (const a of nested.attrs) outer.attrs.add(a);
    }
    this.#changes = outer;
  }

  #touch(e: string, a: string): void {
    if (this.#changes) {
      this.#changes.entities.add(e);
      this.#changes.attrs.add(a);
    }
    const attrs = this.#touched.get(e);
    if (attrs) attrs.add(a);
    else this.#touched.set(e, new Set([a]));
  }
}
