import { rmSync } from 'node:fs';
import type { BatchProgress } from '../client/batch/transact-batches.ts';
import { InstantBackupError } from '../errors/instant-backup-error.ts';
import { type AppConnection, AdminConnection } from './admin-connection.ts';
import { type BackupSchema, entitiesEntry } from './backup-format.ts';
import { schemaAttrs } from './backup-schema.ts';
import { type BackupArchive, openBackup } from './read-backup.ts';
import { checkTarget, readOnlyAware, readOnlyMessage, restoreCheckpoint } from './restore-target.ts';
import { checkBackup } from './verify-backup.ts';

/** Options of {@link restoreApp}. */
export interface RestoreAppOptions {
  /**
   * Checkpoint path prefix (default `<zip>.restore-<target app id>`): `<prefix>.ckpt` records the
   * committed batches, so a run that stops resumes where it was.
   */
  readonly checkpoint?: string;
  /** Steps per transaction (default 500); halved automatically on `parameter-limit-exceeded`. */
  readonly maxSteps?: number;
  /** Transactions in flight (default 4). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: RestoreProgress) => void;
  readonly signal?: AbortSignal;
}

/** What {@link restoreApp} reports as it goes. */
export type RestoreProgress =
  | { readonly phase: 'files'; readonly done: number; readonly total: number }
  | ({ readonly phase: 'entities' } & BatchProgress);

/** What a restore wrote. */
export interface RestoreAppReport {
  readonly attrsAdded: number;
  readonly filesUploaded: number;
  /** Steps committed now, and skipped because a previous run committed them. */
  readonly committed: number;
  readonly skipped: number;
}

/** Ids per `link` step: a link to thousands of entities is written in several steps. */
const LINK_IDS_PER_STEP = 200;

/**
 * Restores a backup zip into an app through its Admin API. First, before anything is written,
 * the target is checked (reachable, the credentials its own, writable) and the whole zip is read
 * and checked as `verifyBackup` does (every entry's checksum, every line, the counts, every file's
 * blob), so a corrupt zip is an `InstantBackupError` with nothing written. Then the schema's
 * missing attributes (`add-attr`), each file uploaded with its path and headers, then every entity
 * (same ids; `$users` included) and link through `transactBatches`, checkpointed and resumable (a
 * run killed at any point goes on from its checkpoint when run again; a checkpoint of another zip
 * or target is refused). Files get new ids from the upload; links to them follow. A resumed run
 * uploads every file again: an upload to a path replaces the file there in the same row (on Instant
 * and instant-tx serve alike), so the ids come out the same and no file can be left out.
 * Honours the Admin API's answers: `rate-limited` is retried per the client's policy,
 * `parameter-limit-exceeded` halves the batch, `app-read-only` stops with a clear message.
 * Creation times cannot be set through the Admin API: entities get the time they are written.
 *
 * @example
 * const target = { appId: goalId, adminToken: todoId, apiURI: 'http://localhost:8888' }; // a self-hosted Instant
 * const report = await restoreApp('app.zip', target);
 */
export async function restoreApp(
  zipPath: string,
  target: AppConnection,
  options: RestoreAppOptions = {},
): Promise<RestoreAppReport> {
  const conn = new AdminConnection(target);
  const backup = await openBackup(zipPath);
  const base = options.checkpoint ?? `${zipPath}.restore-${conn.appId}`;
  try {
    const checkpoint = restoreCheckpoint(`${base}.ckpt`, conn);
    const existing = await checkTarget(conn);
    const fileCount = await checkZip(backup);
    const attrSteps = addAttrSteps(backup.config.schema, existing, backup.namespaces);
    if (attrSteps.length > 0) await readOnlyAware(conn, () => conn.db.transact(attrSteps));
    const fileIds = await uploadFiles(backup, conn, fileCount, options);
    const linkLabels = new Set(
      Object.values(backup.config.schema.links).map((link) => `${link.forward.on}\u0000${link.forward.label}`),
    );
    const report = await readOnlyAware(conn, () =>
      conn.db.transactBatches(entitySteps(backup, fileIds, linkLabels), {
        checkpoint,
        ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (progress) => options.onProgress?.({ phase: 'entities', ...progress }),
      }),
    );
    const failure = report.failed[0]?.error;
    if (failure) throw readOnlyMessage(conn, failure);
    if (report.stopped) throw new Error('the restore was stopped before every batch was sent; run it again to resume');
    rmSync(`${base}.ckpt`, { force: true });
    return {
      attrsAdded: attrSteps.length,
      filesUploaded: fileIds.size,
      committed: report.committed,
      skipped: report.skipped,
    };
  } finally {
    backup.close();
  }
}

/** Problems of a zip quoted in the error; `backup verify` lists them all. */
const PROBLEMS_SHOWN = 3;

/**
 * Reads the whole zip as `verifyBackup` does, plus what a restore needs of each `$files` row (a path),
 * and throws `InstantBackupError` on the first thing wrong; resolves with the number of `$files` rows.
 */
async function checkZip(backup: BackupArchive): Promise<number> {
  let files = 0;
  const { problems } = await checkBackup(backup, (ns, { entity }) => {
    if (ns !== '$files') return;
    files++;
    if (typeof entity.path !== 'string')
      throw new InstantBackupError(backup.path, `the $files entity ${entity.id} has no path`, entitiesEntry(ns));
  });
  if (problems.length === 0) return files;
  const more = problems.length > PROBLEMS_SHOWN ? `; and ${problems.length - PROBLEMS_SHOWN} more` : '';
  throw new InstantBackupError(
    backup.path,
    `${problems.slice(0, PROBLEMS_SHOWN).join('; ')}${more} (nothing was written; instant-tx backup verify lists every problem)`,
  );
}

/** Instant's `$`-namespaces an app's data may be written to; its others are its own. */
const WRITABLE_SYSTEM = new Set(['$users', '$files']);

/**
 * `add-attr` steps for what the backup's schema declares ({@link schemaAttrs}; an `id` for each
 * namespace with entities too) and the target lacks; none in Instant's own `$`-namespaces.
 */
function addAttrSteps(schema: BackupSchema, existing: BackupSchema, namespaces: readonly string[]): unknown[][] {
  const has = (ns: string, label: string) =>
    (label === 'id' && existing.entities[ns] !== undefined) ||
    existing.entities[ns]?.attrs[label] !== undefined ||
    Object.values(existing.links).some(
      (link) =>
        (link.forward.on === ns && link.forward.label === label) ||
        (link.reverse.on === ns && link.reverse.label === label),
    );
  // A namespace with entities and no attribute in the schema still needs its `id`.
  const entities = { ...Object.fromEntries(namespaces.map((ns) => [ns, { attrs: {} }])), ...schema.entities };
  const writable = (ns: string | null) => ns === null || !ns.startsWith('$') || WRITABLE_SYSTEM.has(ns);
  const steps: unknown[][] = [];
  for (const attr of schemaAttrs({ entities, links: schema.links })) {
    if (attr.label === 'id' && attr.ns.startsWith('$')) continue;
    if (!writable(attr.ns) || !writable(attr.revNs) || has(attr.ns, attr.label)) continue;
    if (attr.revNs && attr.revLabel && has(attr.revNs, attr.revLabel)) continue;
    steps.push([
      'add-attr',
      {
        id: crypto.randomUUID(),
        'forward-identity': [crypto.randomUUID(), attr.ns, attr.label],
        ...(attr.revNs ? { 'reverse-identity': [crypto.randomUUID(), attr.revNs, attr.revLabel] } : {}),
        'value-type': attr.valueType,
        cardinality: attr.cardinality,
        'unique?': attr.unique,
        'index?': attr.indexed,
        'required?': attr.required,
        ...(attr.checkedType ? { 'checked-data-type': attr.checkedType } : {}),
        ...(attr.onDelete ? { 'on-delete': attr.onDelete } : {}),
        ...(attr.onDeleteReverse ? { 'on-delete-reverse': attr.onDeleteReverse } : {}),
      },
    ]);
  }
  return steps;
}

/**
 * Uploads each `$files` row's bytes to its path; returns old id → new id. Nothing is recorded: run
 * again, each upload replaces the file at its path in the same `$files` row, so the ids are the same.
 */
async function uploadFiles(
  backup: BackupArchive,
  conn: AdminConnection,
  total: number,
  options: RestoreAppOptions,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  let done = 0;
  for await (const { entity } of backup.entities('$files')) {
    options.signal?.throwIfAborted();
    const location = String(entity['location-id']);
    const id = await readOnlyAware(conn, async () =>
      conn.upload(String(entity.path), await backup.openFile(location), {
        ...(typeof entity['content-type'] === 'string' ? { contentType: entity['content-type'] } : {}),
        ...(typeof entity['content-disposition'] === 'string'
          ? { contentDisposition: entity['content-disposition'] }
          : {}),
      }),
    );
    ids.set(entity.id, id);
    options.onProgress?.({ phase: 'files', done: ++done, total });
  }
  return ids;
}

/** `$files` columns the upload sets (or the server derives): not written as data. */
const FILE_COLUMNS = new Set([
  'id',
  'path',
  'url',
  'size',
  'content-type',
  'content-disposition',
  'location-id',
  'key-version',
]);

/**
 * Every entity as an `update` (attributes, same id), then every forward link as `link` steps (ids of
 * files mapped to their new ids), in the zip's order: the same steps on every run, as checkpoints need.
 */
async function* entitySteps(
  backup: BackupArchive,
  fileIds: ReadonlyMap<string, string>,
  linkLabels: ReadonlySet<string>,
): AsyncGenerator<unknown[]> {
  const isLink = (ns: string, label: string) => linkLabels.has(`${ns}\u0000${label}`);
  for (const ns of backup.namespaces) {
    for await (const { entity } of backup.entities(ns)) {
      const attrs: Record<string, unknown> = {};
      for (const [label, value] of Object.entries(entity))
        if (label !== 'id' && !isLink(ns, label) && !(ns === '$files' && FILE_COLUMNS.has(label))) attrs[label] = value;
      if (ns === '$files' && Object.keys(attrs).length === 0) continue;
      yield ['update', ns, fileIds.get(entity.id) ?? entity.id, attrs];
    }
  }
  // Links go after every entity exists; only namespaces with forward links are read again for them.
  const linking = new Set([...linkLabels].map((key) => key.split('\u0000')[0]));
  for (const ns of backup.namespaces.filter((name) => linking.has(name))) {
    for await (const { entity } of backup.entities(ns)) {
      for (const [label, value] of Object.entries(entity)) {
        if (!isLink(ns, label)) continue;
        const source = fileIds.get(entity.id) ?? entity.id;
        if (!Array.isArray(value)) {
          if (typeof value === 'string') yield ['link', ns, source, { [label]: fileIds.get(value) ?? value }];
          continue;
        }
        for (let at = 0; at < value.length; at += LINK_IDS_PER_STEP) {
          const ids = value.slice(at, at + LINK_IDS_PER_STEP).map((id) => fileIds.get(String(id)) ?? id);
          yield ['link', ns, source, { [label]: ids }];
        }
      }
    }
  }
}
