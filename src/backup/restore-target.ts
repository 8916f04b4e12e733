import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Checkpoint, fileCheckpoint } from '../client/batch/checkpoint.ts';
import { InstantAPIError } from '../errors/instant-api-error.ts';
import { InstantCheckpointError } from '../errors/instant-checkpoint-error.ts';
import type { AdminConnection } from './admin-connection.ts';
import type { BackupSchema } from './backup-format.ts';
import { backupSchemaOf } from './backup-schema.ts';

/**
 * Checks that a restore or copy can write into `conn`'s app before anything is read at length or
 * written: the server answers, the credentials are the app's (`GET /admin/schema`), and the app takes
 * writes — an empty transaction, which writes no data, is refused with `app-read-only` by a read-only
 * app (as Instant Cloud's apps become before they close). Resolves with the app's schema.
 */
export async function checkTarget(conn: AdminConnection): Promise<BackupSchema> {
  const schema = backupSchemaOf(await conn.schema());
  await readOnlyAware(conn, () => conn.db.transact([]));
  return schema;
}

/** Runs `work`, turning `app-read-only` into a sentence a user can act on. */
export async function readOnlyAware<T>(conn: AdminConnection, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw readOnlyMessage(conn, error);
  }
}

/** `app-read-only` as a sentence a user can act on; other errors as they are. */
export function readOnlyMessage(conn: AdminConnection, error: unknown): unknown {
  if (!(error instanceof InstantAPIError) || error.type !== 'app-read-only') return error;
  return new InstantAPIError({
    status: error.status,
    type: error.type,
    message: `the ${conn.label} is read-only (Instant Cloud makes apps read-only before it closes them): nothing more can be written there; restore into a writable app, e.g. a self-hosted Instant or instant-tx serve`,
    hint: error.hint,
    traceId: error.traceId,
    body: error.body,
    method: 'POST',
    path: '/admin/transact',
  });
}

/**
 * The batch checkpoint file of a restore, bound to its target and its run: the batch engine's format
 * (header, `<index> <digest>` lines, a torn last line dropped, anything else refused), with each digest
 * taken over the target's address and app id as well as the batch's steps. Beside it, `<path>.for`
 * names the zip (its config and size), the target and the batch limits the batches were made with;
 * a checkpoint that recorded batches for anything else is refused here, before the restore writes
 * anything (its digests would only show it at the first batch, after attributes and files went out).
 * Either way an {@link InstantCheckpointError} names it instead of skipping batches never written here.
 */
export function restoreCheckpoint(path: string, conn: AdminConnection, run: string): Checkpoint {
  const marker = `${path}.for`;
  const binding = createHash('sha256').update(`${conn.label}\n${run}`).digest('hex');
  if (recordsBatches(path)) {
    const recorded = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : undefined;
    if (recorded !== binding)
      throw new InstantCheckpointError(
        path,
        'was written by a restore of another zip, into another app or server, or with other --max-steps / --max-bytes (nothing was written)',
      );
  } else writeFileSync(marker, `${binding}\n`);
  const file = fileCheckpoint(path);
  const bound = (digest: string) => createHash('sha256').update(`${conn.label}\n${digest}`).digest('hex');
  return {
    has: (index, digest) => {
      try {
        return file.has(index, bound(digest));
      } catch (error) {
        if (!(error instanceof InstantCheckpointError) || error.batchIndex === undefined) throw error;
        throw new InstantCheckpointError(
          path,
          index,
          'another zip, another app or server, or another --max-steps (it cannot vouch for this restore)',
        );
      }
    },
    add: (index, digest) => file.add(index, bound(digest)),
  };
}

/** Removes a restore's checkpoint and its `.for` (the restore finished). */
export function removeRestoreCheckpoint(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.for`, { force: true });
}

/** True when a checkpoint file holds a line past its header: some batch is recorded as committed. */
function recordsBatches(path: string): boolean {
  if (!existsSync(path)) return false;
  return readFileSync(path, 'utf8')
    .split('\n')
    .slice(1)
    .some((line) => line.trim() !== '');
}
