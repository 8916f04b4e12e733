import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { AttrRegistry } from './attr-registry.ts';
import { GRACE_PERIOD_DAYS } from './attr.ts';
import { openDatabase } from './open-database.ts';
import { TokenStore } from './token-store.ts';
import { TripleStore } from './triple-store.ts';

/** Thrown inside a savepoint to undo it; never leaves {@link Storage.tentatively}. */
class Undo extends Error {}

const GRACE_PERIOD_MS = GRACE_PERIOD_DAYS * 24 * 60 * 60 * 1000;

/** Options of {@link Storage}. */
export interface StorageOptions {
  /** The clock (ms since the epoch) that decides when soft-deleted attributes expire; `Date.now` by default. */
  readonly now?: () => number;
}

/**
 * The app's storage: the SQLite connection, its attributes (mirrored in memory), its triples and its
 * refresh tokens. It is the one place a SQLite transaction begins and ends: {@link Storage.write} wraps
 * a whole request, {@link Storage.tentatively} a part of one that may be undone (dry runs). Each write
 * first deletes for good the attributes soft-deleted more than the grace period ago (Instant's sweep).
 *
 * @example
 * const storage = Storage.open(':memory:');
 * const txId = storage.write(() => storage.nextTxId());
 */
export class Storage {
  readonly db: DatabaseSync;
  readonly registry: AttrRegistry;
  readonly store: TripleStore;
  readonly tokens: TokenStore;
  readonly #nextTxId: StatementSync;
  readonly #now: () => number;

  constructor(db: DatabaseSync, options: StorageOptions = {}) {
    this.db = db;
    this.#now = options.now ?? Date.now;
    this.registry = new AttrRegistry(db);
    this.store = new TripleStore(db);
    this.tokens = new TokenStore(db);
    this.#nextTxId = db.prepare(
      "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'tx_id' RETURNING value",
    );
  }

  /** Opens (creating if needed) the database at `path` (`:memory:` for none). */
  static open(path: string, options: StorageOptions = {}): Storage {
    return new Storage(openDatabase(path), options);
  }

  /**
   * Runs `work` in one SQLite transaction: all of it commits, or (when it throws) none of it does and
   * the in-memory attribute mirror is read back from SQLite.
   */
  write<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    this.store.resetTouched();
    try {
      this.registry.sweep(this.now() - GRACE_PERIOD_MS);
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      this.registry.reload();
      throw error;
    } finally {
      this.store.resetTouched();
    }
  }

  /**
   * Runs `work` inside the current write as a savepoint and keeps its changes only when `work` says so
   * (`keep: false` undoes them — a dry run). A throw undoes them too, and propagates.
   */
  tentatively<T>(work: () => { readonly result: T; readonly keep: boolean }): T {
    this.db.exec('SAVEPOINT tentatively');
    this.store.resetTouched();
    let outcome: { readonly result: T; readonly keep: boolean };
    try {
      outcome = work();
      if (!outcome.keep) throw new Undo();
    } catch (error) {
      this.db.exec('ROLLBACK TO tentatively');
      this.db.exec('RELEASE tentatively');
      this.registry.reload();
      if (error instanceof Undo) return outcome!.result;
      throw error;
    }
    this.db.exec('RELEASE tentatively');
    return outcome.result;
  }

  /** The storage's clock: ms since the epoch. */
  now(): number {
    return this.#now();
  }

  /** Increments and returns the transaction counter (the `tx-id` Instant answers with). */
  nextTxId(): number {
    return Number((this.#nextTxId.get() as { value: number | string }).value);
  }

  /** Closes the connection. */
  close(): void {
    this.db.close();
  }
}
