import { attrToWire } from '../protocol/attr-model.ts';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { type BatchLimits, checkBatchItem } from '../client/batch/make-batches.ts';
import { readBatchSettings } from '../client/batch/batch-options.ts';
import type { BatchProgress } from '../client/batch/transact-batches.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { InstantBackupError } from '../errors/instant-backup-error.ts';
import { type AppConnection, AdminConnection } from './admin-connection.ts';
import { type BackupSchema, entitiesEntry } from './backup-format.ts';
import { schemaAttrs } from './backup-schema.ts';
import { entitySteps, type LinkLabels, linkStepsOf, updateStepOf } from './entity-steps.ts';
import { type BackupArchive, openBackup } from './read-backup.ts';
import {
  checkTarget,
  readOnlyAware,
  readOnlyMessage,
  removeRestoreCheckpoint,
  restoreCheckpoint,
} from './restore-target.ts';
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
  /** Bytes of JSON steps per transaction (default 4,000,000); one entity's update must fit in it. */
  readonly maxBytes?: number;
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

/**
 * Restores a backup zip into an app through its Admin API. First, before anything is written,
 * the target is checked (reachable, the credentials its own, writable) and the whole zip is read
 * and checked as `verifyBackup` does (every entry's checksum, every line, the counts, every file's
 * blob), and every step it will send is checked as `transactBatches` will check it (JSON the client
 * sends, within a batch's size), so a corrupt zip is an `InstantBackupError` with nothing written. Then the schema's
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
  // Bad numbers are refused before anything is opened, asked or written.
  const { limits } = readBatchSettings(options);
  const conn = new AdminConnection(target);
  const backup = await openBackup(zipPath);
  const base = options.checkpoint ?? `${zipPath}.restore-${conn.appId}`;
  try {
    // The zip (its config and size) and the batch limits: what the recorded batches were made from.
    const zipIdentity = createHash('sha256').update(JSON.stringify(backup.config)).digest('hex');
    const run = `${zipIdentity} ${statSync(zipPath).size} ${limits.maxSteps} ${limits.maxBytes}`;
    const checkpoint = restoreCheckpoint(`${base}.ckpt`, conn, run);
    const existing = await checkTarget(conn);
    const linkLabels = new Set(
      Object.values(backup.config.schema.links).map((link) => `${link.forward.on}\u0000${link.forward.label}`),
    );
    const fileCount = await checkZip(backup, linkLabels, limits);
    const attrSteps = addAttrSteps(backup.config.schema, existing, backup.namespaces);
    if (attrSteps.length > 0) await readOnlyAware(conn, () => conn.db.transact(attrSteps));
    const fileIds = await uploadFiles(backup, conn, fileCount, options);
    const report = await readOnlyAware(conn, () =>
      conn.db.transactBatches(entitySteps(backup, fileIds, linkLabels), {
        checkpoint,
        ...limits,
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (progress) => options.onProgress?.({ phase: 'entities', ...progress }),
      }),
    );
    const failure = report.failed[0]?.error;
    if (failure) throw readOnlyMessage(conn, failure);
    if (report.stopped) throw new Error('the restore was stopped before every batch was sent; run it again to resume');
    removeRestoreCheckpoint(`${base}.ckpt`);
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
 * Reads the whole zip as `verifyBackup` does, plus what a restore needs of each line: a path on each
 * `$files` row, and every step the line becomes passing the checks `transactBatches` makes (JSON the
 * client sends: no NUL, at most `MAX_JSON_DEPTH` levels; within a batch's size). Throws
 * `InstantBackupError` naming the line on the first thing wrong; resolves with the number of `$files` rows.
 */
async function checkZip(backup: BackupArchive, linkLabels: LinkLabels, limits: BatchLimits): Promise<number> {
  const { counts, problems } = await checkBackup(backup, (ns, { entity }, lineNumber) => {
    const where = `${entitiesEntry(ns)}:${lineNumber}`;
    if (ns === '$files' && typeof entity.path !== 'string')
      throw new InstantBackupError(backup.path, `the $files entity ${entity.id} has no path`, where);
    const update = updateStepOf(ns, entity, NO_FILE_IDS, linkLabels);
    for (const step of update ? [update, ...linkStepsOf(ns, entity, NO_FILE_IDS, linkLabels)] : [])
      try {
        checkBatchItem(step, limits, undefined, 0);
      } catch (error) {
        if (!(error instanceof InstantValidationError)) throw error;
        throw new InstantBackupError(
          backup.path,
          `cannot be restored through the Admin API: ${stepProblem(error)}`,
          where,
        );
      }
  });
  if (problems.length === 0) return counts.$files ?? 0;
  const more = problems.length > PROBLEMS_SHOWN ? `; and ${problems.length - PROBLEMS_SHOWN} more` : '';
  throw new InstantBackupError(
    backup.path,
    `${problems.slice(0, PROBLEMS_SHOWN).join('; ')}${more} (nothing was written; instant-tx backup verify lists every problem)`,
  );
}

/** No upload has happened while checking: ids stay as the zip has them (UUIDs either way). */
const NO_FILE_IDS: ReadonlyMap<string, string> = new Map();

/** The first issue of a step the batch engine refused, its path cut to where it lies in the entity. */
function stepProblem(error: InstantValidationError): string {
  const issue = error.issues[0];
  if (!issue) return error.message;
  const at = issue.path.replace(/^(steps|source)\[\d+\](\[3\])?/, '');
  const shown = at.length > 24 ? `${at.slice(0, 24)}…` : at;
  const hint = issue.message.includes('maxBytes') ? ' (a larger --max-bytes / maxBytes lets it through)' : '';
  return `${shown ? `${shown.replace(/^\./, '')}: ` : ''}${issue.message}${hint}`;
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
    const ids = { id: crypto.randomUUID(), fwdIdentId: crypto.randomUUID(), revIdentId: crypto.randomUUID() };
    steps.push(['add-attr', attrToWire({ ...attr, ...ids })]);
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
