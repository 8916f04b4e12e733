import { declaredLabels, entitiesEntry, manyLabels, SYSTEM_LINE_LABELS, tripleCountOf } from './backup-format.ts';
import type { BackupEntity } from './backup-format.ts';
import { type BackupArchive, openBackup } from './read-backup.ts';

/** What {@link verifyBackup} found. */
export interface BackupVerification {
  readonly counts: Readonly<Record<string, number>>;
  readonly tripleCount: number;
  readonly files: number;
  /** Every way the zip disagrees with its config; empty when it is sound. */
  readonly problems: readonly string[];
}

/**
 * Reads a whole backup zip (streaming) and checks it: every entry's CRC-32, every line an entity (no
 * NUL character, nesting within Instant's limit), each namespace's count and the triple count equal to
 * what `config.json` records, every label declared by its schema (or, in `$users` and `$files`, a catalog
 * column), one `$files` row per path, and each row's blob present (and no blob without a row). A zip that cannot be read at all throws `InstantBackupError`.
 *
 * @example
 * const { problems } = await verifyBackup('app.zip');
 * if (problems.length > 0) console.error(problems.join('\n'));
 */
export async function verifyBackup(path: string): Promise<BackupVerification> {
  const backup = await openBackup(path);
  try {
    return await checkBackup(backup);
  } finally {
    backup.close();
  }
}

/**
 * {@link verifyBackup} on a backup already open: reads every entry to its end, so a checksum that does
 * not match, a truncated entry or a line that is not an entity throws `InstantBackupError` here, before
 * a caller acts on any of it (a restore writes nothing until this has passed). `onEntity` sees each line,
 * with its number in its entry, as it is read, for checks of the caller's own.
 *
 * @example
 * const backup = await openBackup('app.zip');
 * const { problems } = await checkBackup(backup, (ns, { entity }) => console.log(ns, entity.id));
 * backup.close();
 */
export async function checkBackup(
  backup: BackupArchive,
  onEntity?: (namespace: string, line: BackupEntity, lineNumber: number) => void,
): Promise<BackupVerification> {
  const many = manyLabels(backup.config.schema);
  const declared = declaredLabels(backup.config.schema);
  const undeclared = new Set<string>();
  const paths = new Set<string>();
  // A namespace may be called `__proto__`: an own key, never the prototype.
  const counts: Record<string, number> = Object.create(null) as Record<string, number>;
  const problems: string[] = [];
  const locations = new Set<string>();
  let tripleCount = 0;
  for (const ns of backup.namespaces) {
    let count = 0;
    for await (const line of backup.entities(ns)) {
      count++;
      tripleCount += tripleCountOf(line.entity, many.get(ns));
      for (const label of Object.keys(line.entity)) {
        // Instant's own namespaces also carry its catalog's columns, which the schema need not list.
        if (label === 'id' || declared.get(ns)?.has(label) || SYSTEM_LINE_LABELS.get(ns)?.has(label)) continue;
        if (undeclared.has(`${ns}\u0000${label}`)) continue;
        undeclared.add(`${ns}\u0000${label}`);
        problems.push(
          `${entitiesEntry(ns)}:${count}: ${ns}.${label} is not in config.json's schema (a restore has no attribute for it)`,
        );
      }
      if (ns === '$files') {
        locations.add(String(line.entity['location-id']));
        const path = String(line.entity.path);
        if (paths.has(path))
          problems.push(
            `${entitiesEntry(ns)}:${count}: the path ${JSON.stringify(path)} is held by an earlier $files row too (Instant keeps one file per path)`,
          );
        paths.add(path);
      }
      onEntity?.(ns, line, count);
    }
    counts[ns] = count;
  }
  for (const [ns, expected] of Object.entries(backup.config.counts))
    if ((counts[ns] ?? 0) !== expected)
      problems.push(`${ns}: config.json counts ${expected}, the zip holds ${counts[ns] ?? 0}`);
  for (const ns of Object.keys(counts))
    if (!Object.hasOwn(backup.config.counts, ns)) problems.push(`${ns}: not in config.json's counts`);
  if (tripleCount !== backup.config.tripleCount)
    problems.push(`tripleCount: config.json says ${backup.config.tripleCount}, the zip holds ${tripleCount}`);
  const blobs = new Set(backup.files.map((file) => file.locationId));
  for (const location of locations) if (!blobs.has(location)) problems.push(`files/${location}: missing`);
  for (const file of backup.files) {
    if (!locations.has(file.locationId)) problems.push(`files/${file.locationId}: no $files row holds it`);
    const stream = await backup.openFile(file.locationId);
    for await (const _chunk of stream);
  }
  return { counts: { ...counts }, tripleCount, files: backup.files.length, problems };
}
