import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { resolve } from 'node:path';
import { AttrRegistry } from './attr-registry.ts';
import { GRACE_PERIOD_DAYS } from './attr.ts';
import { BlobStore } from './blob-store.ts';
import type { DataFootprint } from './data-footprint.ts';
import { openDatabase, openReadConnection } from './open-database.ts';
import { TokenStore } from './token-store.ts';
import { RecentTransactions } from './recent-transactions.ts';
import { RequestBudget } from './request-budget.ts';
import { TripleStore } from './triple-store.ts';

/** Thrown inside a savepoint to undo it; never leaves {@link Storage.tentatively}. */
class Undo extends Error {}

const GRACE_PERIOD_MS = GRACE_PERIOD_DAYS * 24 * 60 * 60 * 1000;

/**
 * What one committed write changed: the triples' attributes and entities, whether the attributes
 * themselves changed (added, deleted, retyped: any query may answer differently), and the transaction
 * counter after it.
 */
export interface Commit {
  readonly changed: DataFootprint;
  readonly attrsChanged: boolean;
  readonly txId: number;
}

/** Told of every committed {@link Storage.write}, after the commit, on the writing thread. */
export type CommitListener = (commit: Commit) => void;

/** Options of {@link Storage}. */
export interface StorageOptions {
  /** The clock (ms since the epoch) that decides when soft-deleted attributes expire; `Date.now` by default. */
  readonly now?: () => number;
  /** Where uploaded files' bytes live; a temporary folder (removed on close) when omitted. */
  readonly blobDir?: string;
}

/**
 * The app's storage: the SQLite connection, its attributes (mirrored in memory), its triples and its
 * refresh tokens, and the uploaded files' bytes (`blobs`). It is the one place a SQLite transaction
 * begins and ends: {@link Storage.write} wraps a whole request, {@link Storage.tentatively} a part of one
 * that may be undone (dry runs). Each write first deletes for good the attributes soft-deleted more than
 * the grace period ago (Instant's sweep), and once committed deletes the blobs no `$files` row holds any
 * more (recorded by the database as it goes; see `openDatabase`).
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
  readonly blobs: BlobStore;
  /** The current request's time budget, checked by every triple read and write. */
  readonly budget = new RequestBudget();
  /** The last committed transactions (the explorer's activity view): staged as they run, kept on commit. */
  readonly recent = new RecentTransactions(50);
  readonly #nextTxId: StatementSync;
  readonly #blobsGone: StatementSync;
  readonly #blobsForgotten: StatementSync;
  readonly #now: () => number;
  readonly #attrsVersion: StatementSync;
  readonly #txIdNow: StatementSync;
  #txIdNowCache: number | undefined;
  #seenAttrsVersion: string | undefined;
  readonly #commitListeners = new Set<CommitListener>();

  constructor(db: DatabaseSync, options: StorageOptions = {}) {
    this.db = db;
    this.#now = options.now ?? Date.now;
    this.registry = new AttrRegistry(db);
    this.store = new TripleStore(db, this.budget);
    this.tokens = new TokenStore(db);
    this.blobs = new BlobStore(options.blobDir);
    this.#blobsGone = db.prepare('SELECT location_v FROM blob_deletions');
    this.#blobsForgotten = db.prepare('DELETE FROM blob_deletions');
    this.#nextTxId = db.prepare(
      "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'tx_id' RETURNING value",
    );
    this.#attrsVersion = db.prepare("SELECT value FROM meta WHERE key = 'attrs_version'");
    this.#txIdNow = db.prepare("SELECT value FROM meta WHERE key = 'tx_id'");
  }

  /**
   * Opens (creating if needed) the database at `path` (`:memory:` for none). Uploaded files go to the
   * folder `<path>.files` beside it (created on the first upload), or to a temporary folder for `:memory:`.
   * `durable: false` skips syncing to disk (for a temporary file whose data is not kept).
   */
  static open(path: string, options: StorageOptions & { readonly durable?: boolean } = {}): Storage {
    const blobDir = path === ':memory:' ? undefined : `${resolve(path)}.files`;
    const { durable, ...rest } = options;
    const storage = new Storage(openDatabase(path, durable), { ...(blobDir ? { blobDir } : {}), ...rest });
    storage.#dropBlobs();
    return storage;
  }

  /**
   * Opens a read-only view of the database at `path`, which another `Storage` writes (a read worker's):
   * it only {@link Storage.read}s, and never touches the uploaded files.
   */
  static openReader(path: string): Storage {
    return new Storage(openReadConnection(path), { blobDir: `${resolve(path)}.files` });
  }

  /**
   * Runs `work` in one read transaction: it sees one snapshot of the database, every write committed
   * before it began and none after. When another connection changed the attributes since the last
   * read, the in-memory mirror is read again first (from the same snapshot).
   */
  read<T>(work: () => T): T {
    this.db.exec('BEGIN');
    this.#txIdNowCache = undefined;
    try {
      const version = (this.#attrsVersion.get() as { value: string } | undefined)?.value;
      if (version !== this.#seenAttrsVersion) {
        this.registry.reload();
        this.#seenAttrsVersion = version;
      }
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /**
   * Runs `work` in one SQLite transaction: all of it commits, or (when it throws) none of it does and
   * the in-memory attribute mirror is read back from SQLite. Once committed, the {@link Storage.onCommit}
   * listeners hear what changed (only while there are listeners is it recorded).
   */
  write<T>(work: () => T): T {
    const watched = this.#commitListeners.size > 0;
    this.db.exec('BEGIN IMMEDIATE');
    this.store.resetTouched();
    this.store.setWriting(true);
    if (watched) this.store.trackChanges();
    const attrsBefore = watched ? this.#readAttrsVersion() : undefined;
    let result: T;
    try {
      this.registry.sweep(this.now() - GRACE_PERIOD_MS);
      result = work();
      this.db.exec('COMMIT');
      this.recent.commit(this.now());
      this.#dropBlobs();
    } catch (error) {
      this.store.takeChanges();
      this.db.exec('ROLLBACK');
      this.recent.drop();
      this.registry.reload();
      throw error;
    } finally {
      this.store.resetTouched();
      this.store.setWriting(false);
      this.#txIdNowCache = undefined;
    }
    const changed = this.store.takeChanges();
    if (changed) this.#announce(changed, attrsBefore !== this.#readAttrsVersion());
    return result;
  }

  /**
   * Calls `listener` after every committed write from now on; the returned function stops it. Listeners
   * run synchronously after the commit and must not throw (a throw is swallowed: the write did commit).
   */
  onCommit(listener: CommitListener): () => void {
    this.#commitListeners.add(listener);
    return () => this.#commitListeners.delete(listener);
  }

  /**
   * The transaction counter as it stands (the last `tx-id` given out). Read once per write at most: every
   * write (even one that changes no data) and every read transaction forgets it, so many live queries
   * re-run after one commit ask SQLite once.
   */
  currentTxId(): number {
    this.#txIdNowCache ??= Number((this.#txIdNow.get() as { value: number | string } | undefined)?.value ?? 0);
    return this.#txIdNowCache;
  }

  #readAttrsVersion(): string | undefined {
    return (this.#attrsVersion.get() as { value: string } | undefined)?.value;
  }

  #announce(changed: DataFootprint, attrsChanged: boolean): void {
    if (changed.attrs.size === 0 && !attrsChanged) return;
    const commit: Commit = { changed, attrsChanged, txId: this.currentTxId() };
    for (const listener of this.#commitListeners) {
      try {
        listener(commit);
      } catch {
        // A listener's failure is its own; the write committed and its caller must hear so.
      }
    }
  }

  /**
   * Runs `work` inside the current write as a savepoint and keeps its changes only when `work` says so
   * (`keep: false` undoes them — a dry run). A throw undoes them too, and propagates.
   */
  tentatively<T>(work: () => { readonly result: T; readonly keep: boolean }): T {
    this.db.exec('SAVEPOINT tentatively');
    this.store.resetTouched();
    const outerChanges = this.store.beginNestedChanges();
    let outcome: { readonly result: T; readonly keep: boolean };
    try {
      outcome = work();
      if (!outcome.keep) throw new Undo();
    } catch (error) {
      this.db.exec('ROLLBACK TO tentatively');
      this.db.exec('RELEASE tentatively');
      // Undone deletes can refill an entity this savepoint found empty.
      this.store.forgetEmptyEntities();
      this.store.endNestedChanges(outerChanges, false);
      this.registry.reload();
      if (error instanceof Undo) return outcome!.result;
      throw error;
    }
    this.db.exec('RELEASE tentatively');
    this.store.endNestedChanges(outerChanges, true);
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

  /** Closes the connection (and removes a temporary blob folder). */
  close(): void {
    this.db.close();
    this.blobs.close();
  }

  /**
   * Deletes the blobs whose `$files.location-id` triples committed transactions removed, unless a row
   * holds the same location again, and forgets them. Also run at open, for a crash between the two.
   */
  #dropBlobs(): void {
    const gone = this.#blobsGone.all() as { location_v: string }[];
    if (gone.length === 0) return;
    const attr = this.registry.forward('$files', 'location-id');
    for (const { location_v: value } of gone) {
      const location = JSON.parse(value) as unknown;
      if (typeof location !== 'string') continue;
      if (!attr || this.store.withValue(attr.id, location).length === 0) this.blobs.remove(location);
    }
    this.#blobsForgotten.run();
  }
}
