import { InstantError } from './instant-error.ts';

/**
 * A backup zip that cannot be read as Instant's backup format: not a zip, truncated, a checksum that
 * does not match, entries out of Instant's order (`config.json`, then `entities/<ns>.jsonl`, then
 * `files/<location-id>`), or a line that is not an entity. `archive` is the zip's path and `entry` the
 * entry at fault, when there is one. Nothing is written from a backup that fails this way; the CLI
 * exits 2 on it.
 *
 * @example
 * try { await openBackup('app.zip') }
 * catch (e) { if (e instanceof InstantBackupError) console.error(e.message) }
 * // 'backup app.zip: entities/books.jsonl: checksum mismatch (the zip is corrupt)'
 */
export class InstantBackupError extends InstantError {
  override name = 'InstantBackupError';
  readonly archive: string;
  readonly entry: string | undefined;

  constructor(archive: string, problem: string, entry?: string, options?: ErrorOptions) {
    super(`backup ${archive}: ${entry ? `${entry}: ` : ''}${problem}`, options);
    this.archive = archive;
    this.entry = entry;
  }
}
