import { rmSync } from 'node:fs';
import { type AppConnection, AdminConnection } from './admin-connection.ts';
import { type BackupAppOptions, type BackupProgress, backupApp } from './backup-app.ts';
import { type RestoreAppReport, type RestoreProgress, restoreApp } from './restore-app.ts';

/** Options of {@link copyApp}. */
export interface CopyAppOptions extends Pick<BackupAppOptions, 'pageSize' | 'rules' | 'title' | 'signal'> {
  /** The intermediate backup zip (default `instant-tx-copy-<from app>-<to app>.zip` here), kept until the copy is done. */
  readonly via?: string;
  readonly onProgress?: (progress: BackupProgress | RestoreProgress) => void;
}

/**
 * Copies an app into another through their Admin APIs: a backup of `from` ({@link backupApp}) restored
 * into `to` ({@link restoreApp}), both checkpointed: run it again after a failure and it resumes.
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
  const source = new AdminConnection(from).appId;
  const target = new AdminConnection(to).appId;
  const via = options.via ?? `instant-tx-copy-${source}-${target}.zip`;
  const { onProgress, signal } = options;
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
