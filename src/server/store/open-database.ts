import { DatabaseSync } from 'node:sqlite';

/**
 * The secondary indexes of `triples`: (attribute, value) for lookups and reverse links, (attribute,
 * created_at, entity) for pages in creation order. A bulk load may drop them and build them once at the
 * end (see {@link withTripleIndexesDeferred}).
 */
const TRIPLE_INDEXES = `CREATE INDEX IF NOT EXISTS triples_av ON triples (a, v);
CREATE INDEX IF NOT EXISTS triples_a_created ON triples (a, created_at, e);`;

/**
 * Runs `load` (inside the caller's transaction) with the secondary indexes of `triples` dropped, then
 * builds them again: one sorted build of each index instead of an insert at a random place per triple,
 * for loading a whole backup into an empty table. If `load` throws, the caller's rollback restores them.
 *
 * @example
 * const db = openDatabase(':memory:');
 * db.exec('BEGIN');
 * await withTripleIndexesDeferred(db, async () => {});
 * db.exec('COMMIT');
 */
export async function withTripleIndexesDeferred<T>(db: DatabaseSync, load: () => Promise<T>): Promise<T> {
  db.exec('DROP INDEX IF EXISTS triples_av; DROP INDEX IF EXISTS triples_a_created;');
  const result = await load();
  db.exec(TRIPLE_INDEXES);
  return result;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS attrs (
  id TEXT PRIMARY KEY,
  ns TEXT NOT NULL,
  label TEXT NOT NULL,
  rev_ns TEXT,
  rev_label TEXT,
  value_type TEXT NOT NULL CHECK (value_type IN ('blob', 'ref')),
  cardinality TEXT NOT NULL CHECK (cardinality IN ('one', 'many')),
  is_unique INTEGER NOT NULL DEFAULT 0,
  is_indexed INTEGER NOT NULL DEFAULT 0,
  is_required INTEGER NOT NULL DEFAULT 0,
  checked_type TEXT,
  on_delete TEXT,
  on_delete_reverse TEXT,
  fwd_ident_id TEXT,
  rev_ident_id TEXT,
  inferred_types INTEGER,
  deletion_marked_at INTEGER,
  metadata TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS attrs_forward ON attrs (ns, label);
CREATE UNIQUE INDEX IF NOT EXISTS attrs_reverse ON attrs (rev_ns, rev_label) WHERE rev_ns IS NOT NULL;
CREATE TABLE IF NOT EXISTS triples (
  e TEXT NOT NULL,
  a TEXT NOT NULL REFERENCES attrs (id) ON DELETE CASCADE,
  v TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (e, a, v)
) WITHOUT ROWID;
${TRIPLE_INDEXES}
CREATE TABLE IF NOT EXISTS refresh_tokens (
  hashed_token TEXT PRIMARY KEY,
  user_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS refresh_tokens_user ON refresh_tokens (user_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('tx_id', '0');
INSERT OR IGNORE INTO meta (key, value) VALUES ('attrs_version', '0');
CREATE TRIGGER IF NOT EXISTS attrs_added AFTER INSERT ON attrs
BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'attrs_version'; END;
CREATE TRIGGER IF NOT EXISTS attrs_changed AFTER UPDATE ON attrs
BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'attrs_version'; END;
CREATE TRIGGER IF NOT EXISTS attrs_deleted AFTER DELETE ON attrs
BEGIN UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'attrs_version'; END;
CREATE TABLE IF NOT EXISTS blob_deletions (location_v TEXT PRIMARY KEY);
CREATE TRIGGER IF NOT EXISTS triples_file_location_gone AFTER DELETE ON triples
WHEN OLD.a IN (SELECT id FROM attrs WHERE ns = '$files' AND label = 'location-id')
BEGIN INSERT OR IGNORE INTO blob_deletions (location_v) VALUES (OLD.v); END;
CREATE TABLE IF NOT EXISTS app_config (key TEXT PRIMARY KEY CHECK (key IN ('app_id', 'admin_token')), value TEXT NOT NULL);
`;

/**
 * Opens (creating if needed) the local server's SQLite database: WAL journal with full sync, so an
 * acknowledged transaction survives the process being killed (no sync when not `durable`: a temporary
 * file whose data is not kept), and foreign keys on. Whenever a
 * `$files.location-id` triple goes (its file deleted or uploaded again), a trigger records the value in
 * `blob_deletions`, inside the same transaction: `Storage` deletes those blobs once it has committed.
 * Every change to `attrs` (added, soft-deleted, types inferred, swept) bumps `meta.attrs_version` in
 * the same transaction, so a reader on another connection knows when to reload its attributes.
 *
 * @example
 * const db = openDatabase(':memory:');
 */
export function openDatabase(path: string, durable = true): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    // page_size takes effect only on a new file (before WAL); with a 64 MiB page cache and a checkpoint
    // every 64 MiB of WAL it makes bulk imports ~2x faster than SQLite's defaults (4 KiB pages, 2 MiB
    // cache, a checkpoint every 4 MiB): random UUID keys touch pages all over each index.
    db.exec(
      `PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = ${durable ? 'FULL' : 'OFF'}; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 4096;`,
    );
    db.exec(SCHEMA);
    addMissingColumns(db);
    db.exec(
      'CREATE INDEX IF NOT EXISTS attrs_deleted ON attrs (deletion_marked_at) WHERE deletion_marked_at IS NOT NULL',
    );
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Columns added to `attrs` after its first version, each with its type. Older databases get the ones they
 * lack, empty: identity ids (attributes made before them have none), inferred types (none recorded),
 * and the soft-delete time and metadata (nothing was soft-deleted).
 */
const ADDED_COLUMNS: readonly (readonly [string, string])[] = [
  ['fwd_ident_id', 'TEXT'],
  ['rev_ident_id', 'TEXT'],
  ['inferred_types', 'INTEGER'],
  ['deletion_marked_at', 'INTEGER'],
  ['metadata', 'TEXT'],
];

/** Adds the {@link ADDED_COLUMNS} a database made by an earlier version lacks. */
function addMissingColumns(db: DatabaseSync): void {
  const columns = (db.prepare('PRAGMA table_info(attrs)').all() as { name: string }[]).map((row) => row.name);
  for (const [column, type] of ADDED_COLUMNS)
    if (!columns.includes(column)) db.exec(`ALTER TABLE attrs ADD COLUMN ${column} ${type}`);
}

/** The app a database file belongs to: its id and admin token. */
export interface AppIdentity {
  readonly appId: string;
  readonly adminToken: string;
}

/**
 * The app id and admin token for a database: the requested ones when given, else the ones stored by an
 * earlier start, else new random UUIDs. The result is stored, so restarting on the same file keeps both
 * (and an explicit one replaces the stored one, e.g. to rotate the admin token).
 */
export function settleAppIdentity(db: DatabaseSync, requested: Partial<AppIdentity>): AppIdentity {
  const stored = new Map(
    (db.prepare('SELECT key, value FROM app_config').all() as { key: string; value: string }[]).map((row) => [
      row.key,
      row.value,
    ]),
  );
  const identity = {
    appId: (requested.appId ?? stored.get('app_id') ?? crypto.randomUUID()).toLowerCase(),
    adminToken: requested.adminToken ?? stored.get('admin_token') ?? crypto.randomUUID(),
  };
  const save = db.prepare(
    'INSERT INTO app_config (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  save.run('app_id', identity.appId);
  save.run('admin_token', identity.adminToken);
  return identity;
}

/**
 * Opens a read-only connection to the local server's database (created by {@link openDatabase}, in
 * WAL mode): a read worker's own connection, which never blocks the writer nor is blocked by it.
 *
 * @example
 * const reader = (path: string) => openReadConnection(path);
 */
export function openReadConnection(path: string): DatabaseSync {
  const db = new DatabaseSync(path, { readOnly: true });
  db.exec('PRAGMA busy_timeout = 5000;');
  return db;
}
