import { existsSync, rmSync } from 'node:fs';
import { InstantBackupError } from '../errors/instant-backup-error.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue } from '../errors/validation-issue.ts';
import { type AppConnection, AdminConnection } from './admin-connection.ts';
import { type BackupAppOptions, type BackupProgress, backupApp } from './backup-app.ts';
import { openBackup } from './read-backup.ts';
import { type RestoreAppReport, type RestoreProgress, restoreApp } from './restore-app.ts';
import { checkTarget } from './restore-target.ts';

/** Options of {@link copyApp}. */
export interface CopyAppOptions extends Pick<BackupAppOptions, 'pageSize' | 'rules' | 'title' | 'signal'> {
  /** The intermediate backup zip (default `instant-tx-copy-<from app>-<to app>.zip` here), kept until the copy is done. */
  readonly via?: string;
  readonly onProgress?: (progress: BackupProgress | RestoreProgress) => void;
}

/**
 * Copies an app into another through their Admin APIs: a backup of `from` ({@link backupApp}) restored
 * into `to` ({@link restoreApp}), both checkpointed: run it again after a failure and it resumes.
 * The target is checked first (reachable, the credentials its own, writable), so a wrong or read-only
 * target fails before the source is read. A `via` zip already there is a backup a failed copy
 * finished: it is restored as it is (the restore's checkpoint was written for it), once its
 * `config.json` shows it is a backup of `from`; delete it to take a fresh backup.
 * The source is only read, so a read-only app (Instant Cloud's last phase) can be copied out.
 *
 * @example
 * const cloud = { appId: process.env.OLD_APP_ID!, adminToken: process.env.OLD_ADMIN_TOKEN! };
 * await copyApp(cloud, { appId: goalId, adminToken: todoId, apiURI: 'http://localhost:8888' });
 */
export async function copyApp(
  from: AppConnection,
  to: AppConnection,
  options: CopyAppOptions = {},
): Promise<RestoreAppReport> {
  const source = new AdminConnection(from);
  const target = new AdminConnection(to);
  if (source.label === target.label)
    throw new InstantValidationError(
      [createIssue('invalid-argument', 'to', `is the app copied from (${source.label})`)],
      'copy',
    );
  const via = options.via ?? `instant-tx-copy-${source.appId}-${target.appId}.zip`;
  const { onProgress, signal } = options;
  await checkTarget(target);
  if (existsSync(via)) await checkVia(via, source.appId);
  else
    await backupApp(from, {
      out: via,
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      ...(options.rules !== undefined ? { rules: options.rules } : {}),
      ...(options.title !== undefined ? { title: options.title } : {}),
      ...(onProgress ? { onProgress } : {}),
      ...(signal ? { signal } : {}),
    });
  const report = await restoreApp(via, to, { ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) });
  rmSync(via, { force: true });
  return report;
}

/** A `via` zip left by an earlier run is restored only if it is a backup of the app being copied. */
async function checkVia(via: string, sourceAppId: string): Promise<void> {
  const backup = await openBackup(via);
  backup.close();
  if (backup.config.appId?.toLowerCase() !== sourceAppId.toLowerCase())
    throw new InstantBackupError(
      via,
      `is a backup of ${backup.config.appId ? `app ${backup.config.appId}` : 'an unnamed app'}, not of the app copied from (${sourceAppId}): delete it or pass another --via`,
    );
}
