export type {
  BackupAttrDef,
  BackupConfig,
  BackupEntity,
  BackupLinkDef,
  BackupLinkSide,
  BackupSchema,
} from './backup-format.ts';
export { BackupArchive, openBackup, readBackup, type BackupFile, type BackupItem } from './read-backup.ts';
export {
  writeBackup,
  type BackupEntityLine,
  type BackupFileSource,
  type BackupSummary,
  type WriteBackupSource,
} from './write-backup.ts';
export { backupApp, type BackupAppOptions, type BackupProgress } from './backup-app.ts';
export { restoreApp, type RestoreAppOptions, type RestoreAppReport, type RestoreProgress } from './restore-app.ts';
export { copyApp, type CopyAppOptions } from './copy-app.ts';
export type { AppConnection } from './admin-connection.ts';
export { verifyBackup, type BackupVerification } from './verify-backup.ts';
