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
