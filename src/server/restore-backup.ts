import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { PassThrough, type Readable } from 'node:stream';
import type { BackupSchema } from '../backup/backup-format.ts';
import { schemaAttrs } from '../backup/backup-schema.ts';
import { type BackupArchive, openBackup } from '../backup/read-backup.ts';
import { isUuid } from '../protocol/uuid.ts';
import type { Rules } from './permissions/rules.ts';
import { InstantServerStartError } from './server-start-error.ts';
import type { AttrRegistry } from './store/attr-registry.ts';
import { inferValueType } from './store/inferred-types.ts';
import type { Storage } from './store/storage.ts';
import { isSystemColumn } from './transact/system-catalog.ts';
import type { FileStore } from './users/file-store.ts';
import { ensureSystemAttrs } from './users/system-attrs.ts';
import { withTripleIndexesDeferred } from './store/open-database.ts';

/** What a restore loaded. */
export interface RestoreReport {
  readonly counts: Readonly<Record<string, number>>;
  readonly triples: number;
  readonly files: number;
}

/** `$files` columns an upload sets (see `FileStore.put`), read from the backup's row. */
interface RestoredFile {
  readonly path: string;
  readonly size: number;
  readonly contentType: string;
  readonly contentDisposition: string;
  readonly locationId: string;
}

/**
 * Loads an Instant backup into the local server's storage, as Instant's restore does: the schema's
 * attributes, every entity line as triples created at its `createdAt`, `$users` as they are, and each
 * `$files` row with its blob. All of it in one SQLite transaction, after the blobs are copied: a bad
 * line, a missing attribute or blob, or a checksum mismatch rolls everything back and removes the copied
 * blobs, and rejects with {@link InstantServerStartError} (`restore`). A database that already holds
 * data is refused unless `replace` (which deletes its data in the same transaction).
 */
export async function restoreBackup(
  storage: Storage,
  files: FileStore,
  path: string,
  options: { readonly replace?: boolean } = {},
): Promise<RestoreReport> {
  const backup = await openRestoreArchive(path);
  try {
    return await restoreFrom(storage, files, backup, options);
  } finally {
    backup.close();
  }
}

async function restoreFrom(
  storage: Storage,
  files: FileStore,
  backup: BackupArchive,
  options: { readonly replace?: boolean },
): Promise<RestoreReport> {
  const fail = (problem: string, cause?: unknown) =>
    new InstantServerStartError('restore', `cannot restore ${backup.path}: ${problem}`, cause ? { cause } : undefined);
  const { db } = storage;
  if (!options.replace && db.prepare('SELECT 1 FROM triples LIMIT 1').get() !== undefined)
    throw fail('the database already holds data; restore into a new database file, or ask to replace its data');
  const locations = new Map<string, string>();
  const copied: string[] = [];
  try {
    for (const file of backup.files) {
      const location = isUuid(file.locationId) ? file.locationId.toLowerCase() : crypto.randomUUID();
      locations.set(file.locationId, location);
      copied.push(location);
      await copyBlob(storage, location, await backup.openFile(file.locationId));
    }
    // Random ids land all over three indexes: a large page cache for the load keeps them in memory.
    const { cache_size: cacheSize } = db.prepare('PRAGMA cache_size').get() as { cache_size: number };
    db.exec('PRAGMA cache_size = -262144');
    db.exec('BEGIN IMMEDIATE');
    try {
      const report = await loadEntities(storage, files, backup, locations, options.replace === true, fail);
      db.exec('COMMIT');
      return report;
    } catch (error) {
      db.exec('ROLLBACK');
      storage.registry.reload();
      throw error;
    } finally {
      db.exec(`PRAGMA cache_size = ${Number(cacheSize)}`);
    }
  } catch (error) {
    for (const location of copied) storage.blobs.remove(location);
    if (error instanceof InstantServerStartError) throw error;
    throw fail((error as Error).message, error);
  }
}

/**
 * Streams a blob from the zip into the blob store. A checksum failure ends the copy rather than erroring
 * the stream mid-write (the store would be left writing to a closed file), then is thrown.
 */
async function copyBlob(storage: Storage, location: string, source: Readable): Promise<void> {
  let failure: unknown;
  const safe = new PassThrough();
  source.on('error', (error) => {
    failure = error;
    safe.end();
  });
  source.pipe(safe);
  await storage.blobs.write(location, safe, Number.POSITIVE_INFINITY);
  if (failure) throw failure;
}

async function loadEntities(
  storage: Storage,
  files: FileStore,
  backup: BackupArchive,
  locations: ReadonlyMap<string, string>,
  replace: boolean,
  fail: (problem: string) => Error,
): Promise<RestoreReport> {
  const { db, registry } = storage;
  if (replace) {
    db.exec('DELETE FROM triples; DELETE FROM attrs;');
    registry.reload();
  }
  ensureSystemAttrs(registry);
  addSchemaAttrs(registry, backup.config.schema);
  const insert = db.prepare('INSERT OR IGNORE INTO triples (e, a, v, created_at) VALUES (?, ?, ?, ?)');
  // A namespace may be called `__proto__`: an own key, never the prototype.
  const counts: Record<string, number> = Object.create(null) as Record<string, number>;
  const restoredFiles: RestoredFile[] = [];
  const filePaths = new Set<string>();
  let triples = 0;
  // The entity lines go in with the secondary indexes dropped, which are then built once, sorted.
  await withTripleIndexesDeferred(db, async () => {
    for (const ns of backup.namespaces) {
      let count = 0;
      for await (const { entity, createdAt } of backup.entities(ns)) {
        count++;
        for (const [label, value] of Object.entries(entity)) {
          // `$files.url` is where the bytes are served, derived from the location: never restored.
          if (ns === '$files' && label === 'url') continue;
          const attr = registry.forward(ns, label);
          if (!attr)
            throw fail(
              `missing attr for ${ns}.${label} (entity ${entity.id}): the backup's schema does not declare it`,
            );
          const values = attr.valueType === 'ref' && attr.cardinality === 'many' ? value : [value];
          if (!Array.isArray(values)) throw fail(`${ns}.${label} of entity ${entity.id} must be an array of ids`);
          for (const one of values) {
            if (attr.valueType === 'ref' && !isUuid(one))
              throw fail(`${ns}.${label} of entity ${entity.id} must be ids`);
            const v = ns === '$files' && label === 'location-id' ? (locations.get(String(one)) ?? one) : one;
            insert.run(entity.id.toLowerCase(), attr.id, JSON.stringify(v), createdAt);
            triples++;
            const type = inferValueType(v);
            if (type && attr.valueType !== 'ref' && !isSystemColumn(ns, label)) registry.addInferredType(attr.id, type);
          }
        }
        if (ns === '$files') {
          const file = fileOf(entity, locations, fail);
          if (filePaths.has(file.path))
            throw fail(`two $files rows hold the path ${JSON.stringify(file.path)} (Instant keeps one file per path)`);
          filePaths.add(file.path);
          restoredFiles.push(file);
        }
      }
      counts[ns] = count;
    }
  });
  const held = new Set(restoredFiles.map((file) => file.locationId));
  const stray = [...locations.values()].find((location) => !held.has(location));
  if (stray) throw fail(`files in the zip are missing in the $files entities (files/${stray})`);
  // The upload path sets what the server derives for a file (its url, key version), on the restored row.
  for (const file of restoredFiles) files.put(file);
  // The backup's rules stay with the database: a restart without --rules keeps enforcing them.
  db.prepare(`DELETE FROM meta WHERE key = '${RULES_KEY}'`).run();
  if (backup.config.rules)
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(RULES_KEY, JSON.stringify(backup.config.rules));
  return { counts: { ...counts }, triples, files: restoredFiles.length };
}

function fileOf(
  entity: Record<string, unknown>,
  locations: ReadonlyMap<string, string>,
  fail: (problem: string) => Error,
): RestoredFile {
  const location = entity['location-id'];
  if (typeof location !== 'string') throw fail(`the $files entity ${String(entity.id)} has no location-id`);
  const locationId = locations.get(location);
  if (!locationId)
    throw fail(`the backup is missing the file blob for the $files entity ${String(entity.id)} (files/${location})`);
  if (typeof entity.path !== 'string') throw fail(`the $files entity ${String(entity.id)} has no path`);
  return {
    path: entity.path,
    size: typeof entity.size === 'number' ? entity.size : 0,
    contentType: typeof entity['content-type'] === 'string' ? entity['content-type'] : 'application/octet-stream',
    contentDisposition: typeof entity['content-disposition'] === 'string' ? entity['content-disposition'] : 'inline',
    locationId,
  };
}

/**
 * Creates the attributes a backup's schema declares ({@link schemaAttrs}, Instant's `defs->schema`),
 * skipping those the database has (by forward name, or a link by its reverse name).
 */
function addSchemaAttrs(registry: AttrRegistry, schema: BackupSchema): void {
  for (const attr of schemaAttrs(schema)) {
    if (registry.forward(attr.ns, attr.label)) continue;
    if (attr.revNs && attr.revLabel && registry.reverse(attr.revNs, attr.revLabel)) continue;
    registry.add({ ...attr, id: crypto.randomUUID() });
  }
}

/** Where a restored backup's rules are kept in the database (`meta`). */
const RULES_KEY = 'restored_rules';

/**
 * The rules a restore stored in the database file at `dbPath`, if any: what the server enforces on a
 * later start without `rules`. Undefined for `:memory:`, a file that does not exist yet, or none stored.
 */
export function storedRules(dbPath: string | undefined): Rules | undefined {
  if (dbPath === undefined || dbPath === ':memory:' || !existsSync(dbPath)) return undefined;
  try {
    const db = new DatabaseSync(dbPath, { readOnly: true });
    try {
      const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(RULES_KEY) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as Rules) : undefined;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

/** What `startLocalServer` needs from a backup before opening the database: its rules and app id. */
export interface RestoreConfig {
  readonly rules: Rules | undefined;
  readonly appId: string | undefined;
}

/** Reads a backup's config; an unreadable backup rejects with {@link InstantServerStartError} (`restore`). */
export async function readRestoreConfig(path: string): Promise<RestoreConfig> {
  const backup = await openRestoreArchive(path);
  backup.close();
  const { rules, appId } = backup.config;
  return { rules: (rules ?? undefined) as Rules | undefined, appId: isUuid(appId) ? appId : undefined };
}

/** What the file system's refusals mean, said plainly (not `EISDIR: illegal operation on a directory`). */
const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory; pass the backup zip',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

async function openRestoreArchive(path: string): Promise<BackupArchive> {
  try {
    return await openBackup(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      (code !== undefined && FILE_PROBLEMS[code]) || (error as Error).message.replace(`backup ${path}: `, '');
    throw new InstantServerStartError('restore', `cannot restore ${path}: ${reason}`, { cause: error });
  }
}
