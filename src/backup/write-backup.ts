import { createReadStream, createWriteStream, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import {
  type BackupConfig,
  type BackupEntity,
  CONFIG_ENTRY,
  entitiesEntry,
  fileEntry,
  manyLabels,
  tripleCountOf,
} from './backup-format.ts';
import { BackupSpool, type SpooledNamespace } from './backup-spool.ts';

/** A file to put in a backup: its location id and how to open its bytes (called when the zip reaches it). */
export interface BackupFileSource {
  readonly locationId: string;
  readonly open: () => Readable | Promise<Readable>;
}

/** What {@link writeBackup} writes: the config (counts are computed), entity lines, files. */
export interface WriteBackupSource {
  readonly config: Omit<BackupConfig, 'counts' | 'tripleCount'>;
  /** Entity lines in any order; each goes to its namespace's entry. */
  readonly entities: Iterable<BackupEntityLine> | AsyncIterable<BackupEntityLine>;
  readonly files?: Iterable<BackupFileSource> | AsyncIterable<BackupFileSource>;
}

/** An entity line with its namespace. */
export interface BackupEntityLine extends BackupEntity {
  readonly namespace: string;
}

/** What a written backup holds. */
export interface BackupSummary {
  readonly counts: Readonly<Record<string, number>>;
  readonly tripleCount: number;
  readonly files: number;
  /** Size of the zip. */
  readonly bytes: number;
}

/** Entity lines spooled per write before the next page (bounds memory). */
const PAGE = 1000;

/**
 * Writes a backup zip in Instant's format at `outPath` (restorable by self-hosted Instant, readable by
 * {@link openBackup}): entity lines are spooled to a temporary folder beside it, one file per namespace,
 * then zipped after `config.json` (with the `counts` and `tripleCount` they add up to), then the files.
 * Streaming throughout: memory holds a page of lines, never the backup. The zip appears at `outPath`
 * only when complete (written to `<outPath>.partial`, then renamed).
 *
 * @example
 * const summary = await writeBackup('app.zip', {
 *   config: { schema: { entities: { books: { attrs: {} } }, links: {} }, rules: null, title: 'My app' },
 *   entities: [{ namespace: 'books', entity: { id: id(), title: 'Sum' }, createdAt: Date.now() }],
 * });
 */
export async function writeBackup(outPath: string, source: WriteBackupSource): Promise<BackupSummary> {
  const dir = mkdtempSync(join(dirname(resolve(outPath)), '.instant-tx-backup-'));
  const spool = BackupSpool.open(dir, 'writeBackup');
  try {
    const many = manyLabels(source.config.schema);
    const pages = new Map<string, { lines: BackupEntity[]; triples: number }>();
    const flush = async (namespace: string) => {
      const page = pages.get(namespace);
      if (!page || page.lines.length === 0) return;
      pages.set(namespace, { lines: [], triples: 0 });
      await spool.append(namespace, page.lines, page.triples, { done: false });
    };
    for await (const { namespace, entity, createdAt } of source.entities) {
      const page = pages.get(namespace) ?? { lines: [], triples: 0 };
      page.lines.push({ entity, createdAt });
      page.triples += tripleCountOf(entity, many.get(namespace));
      pages.set(namespace, page);
      if (page.lines.length >= PAGE) await flush(namespace);
    }
    for (const namespace of pages.keys()) await flush(namespace);
    await spool.close();
    return await zipBackup(outPath, source.config, spool, source.files ?? []);
  } finally {
    await spool.remove();
  }
}

/**
 * Zips a spool into Instant's format at `outPath`: `config.json` (with counts and triple count from the
 * spool), `entities/<ns>.jsonl` in the spool's order, then `files/<location-id>` opened one at a time.
 * Written to `<outPath>.partial` and renamed when complete; a failure removes the partial file.
 */
export async function zipBackup(
  outPath: string,
  config: Omit<BackupConfig, 'counts' | 'tripleCount'>,
  spool: BackupSpool,
  files: Iterable<BackupFileSource> | AsyncIterable<BackupFileSource>,
  onFile?: (locationId: string) => void,
): Promise<BackupSummary> {
  // Like Instant's backup, a namespace without entities has no entry and no count.
  const namespaces = spool.namespaces.filter((ns) => ns.lines > 0);
  const counts = Object.fromEntries(
    [...namespaces].sort((a, b) => (a.namespace < b.namespace ? -1 : 1)).map((ns) => [ns.namespace, ns.lines]),
  );
  const tripleCount = namespaces.reduce((sum, ns) => sum + ns.triples, 0);
  const full: BackupConfig = { counts, tripleCount, ...config };
  const partial = `${outPath}.partial`;
  const zip = new yazl.ZipFile();
  const out = createWriteStream(partial);
  const failed = new Promise<never>((_, reject) => zip.on('error', reject));
  const written = Promise.race([finished(zip.outputStream.pipe(out)), failed]);
  written.catch(() => {});
  const mtime = config.backupAt ? new Date(config.backupAt) : new Date();
  let fileCount = 0;
  try {
    zip.addBuffer(Buffer.from(JSON.stringify(full)), CONFIG_ENTRY, { mtime });
    for (const ns of namespaces as SpooledNamespace[])
      zip.addReadStreamLazy(entitiesEntry(ns.namespace), { mtime }, (done) => {
        const stream = createReadStream(spool.pathOf(ns));
        stream.once('error', (error) => zip.emit('error', error));
        done(null, stream);
      });
    for await (const file of files) {
      fileCount++;
      zip.addReadStreamLazy(fileEntry(file.locationId), { mtime }, (done) => {
        Promise.resolve()
          .then(file.open)
          .then(
            (stream: Readable) => {
              stream.once('end', () => onFile?.(file.locationId));
              stream.once('error', (error) => zip.emit('error', error));
              done(null, stream);
            },
            (error: Error) => done(error, undefined as never),
          );
      });
    }
    zip.end();
    await written;
    renameSync(partial, outPath);
    return { counts, tripleCount, files: fileCount, bytes: out.bytesWritten };
  } catch (error) {
    (zip.outputStream as unknown as Readable).destroy();
    out.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}
