import { INSTANT_MAX_JSON_DEPTH, jsonDepthExceeds } from '../protocol/json-depth.ts';
import { containsNulCharacter, NUL_CHARACTER_MESSAGE } from '../protocol/json-limits.ts';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { InstantBackupError } from '../errors/instant-backup-error.ts';
import { isPlainObject } from '../protocol/json.ts';
import {
  type BackupConfig,
  type BackupEntity,
  CONFIG_ENTRY,
  ENTITIES_PREFIX,
  ENTITIES_SUFFIX,
  FILES_PREFIX,
} from './backup-format.ts';

/** A `files/<location-id>` entry: a `$files` row's bytes. */
export interface BackupFile {
  readonly locationId: string;
  /** Bytes once extracted. */
  readonly size: number;
}

/** What {@link readBackup} yields, in the zip's order. */
export type BackupItem =
  | { readonly kind: 'config'; readonly config: BackupConfig }
  | ({ readonly kind: 'entity'; readonly namespace: string } & BackupEntity)
  | { readonly kind: 'file'; readonly locationId: string; readonly size: number; readonly body: Readable };

/** The largest `config.json` read (it holds the schema and rules; Instant's are a few KB). */
const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

/**
 * An open backup zip: its `config.json` (read and checked at open), the namespaces it has entities for
 * and its files, each readable on demand as a stream — nothing holds the archive in memory. Every entry
 * read is checked against its CRC-32 and size; a mismatch, a truncated or foreign zip, entries out of
 * Instant's order or a malformed line throw {@link InstantBackupError}. Close it when done.
 *
 * @example
 * const backup = await openBackup('app.zip');
 * for await (const { entity } of backup.entities('books')) console.log(entity.id);
 * backup.close();
 */
export class BackupArchive {
  readonly path: string;
  readonly config: BackupConfig;
  /** The namespaces with an `entities/<ns>.jsonl` entry, in the zip's order. */
  readonly namespaces: readonly string[];
  readonly files: readonly BackupFile[];
  readonly #zip: ZipFile;
  readonly #entries: ReadonlyMap<string, Entry>;

  private constructor(path: string, zip: ZipFile, entries: Map<string, Entry>, config: BackupConfig) {
    this.path = path;
    this.#zip = zip;
    this.#entries = entries;
    this.config = config;
    const names = [...entries.keys()];
    this.namespaces = names
      .filter((name) => name.startsWith(ENTITIES_PREFIX))
      .map((name) => name.slice(ENTITIES_PREFIX.length, -ENTITIES_SUFFIX.length));
    this.files = names
      .filter((name) => name.startsWith(FILES_PREFIX))
      .map((name) => ({ locationId: name.slice(FILES_PREFIX.length), size: entries.get(name)!.uncompressedSize }));
  }

  /** Opens the zip at `path`, checks its entries' order and reads `config.json`. */
  static async open(path: string): Promise<BackupArchive> {
    const zip = await openZip(path);
    try {
      const entries = await listEntries(path, zip);
      const configEntry = entries.get(CONFIG_ENTRY)!;
      const text = await readText(path, zip, configEntry, MAX_CONFIG_BYTES);
      return new BackupArchive(path, zip, entries, parseConfig(path, text));
    } catch (error) {
      zip.close();
      throw error;
    }
  }

  /** The entity lines of `namespace` (none when the backup has no entry for it), checked one by one. */
  async *entities(namespace: string): AsyncGenerator<BackupEntity> {
    const name = `${ENTITIES_PREFIX}${namespace}${ENTITIES_SUFFIX}`;
    const entry = this.#entries.get(name);
    if (!entry) return;
    const input = await openChecked(this.path, this.#zip, entry);
    const lines = createInterface({ input, crlfDelay: Infinity });
    let number = 0;
    try {
      for await (const line of lines) {
        number++;
        if (line.trim() === '') continue;
        yield parseEntityLine(this.path, name, number, line);
      }
    } finally {
      // Left early (a bad line, or the caller stopped): the rest of the entry is not read, and a
      // checksum failure it would meet at its end has no one to report to.
      input.on('error', () => {});
      input.destroy();
    }
  }

  /** The bytes of `files/<locationId>` as a stream that errors if they do not match the zip's checksum. */
  async openFile(locationId: string): Promise<Readable> {
    const entry = this.#entries.get(`${FILES_PREFIX}${locationId}`);
    if (!entry) throw new InstantBackupError(this.path, `no file files/${locationId} in the backup`);
    return openChecked(this.path, this.#zip, entry);
  }

  close(): void {
    this.#zip.close();
  }
}

/**
 * Opens a backup zip (Instant's format, as its CLI and dashboard download it, or as instant-tx writes
 * it). See {@link BackupArchive}.
 *
 * @example
 * const backup = await openBackup('app.zip');
 * console.log(backup.config.counts, backup.namespaces);
 * backup.close();
 */
export function openBackup(path: string): Promise<BackupArchive> {
  return BackupArchive.open(path);
}

/**
 * Streams a whole backup in the zip's order: its config, then every entity of every namespace, then
 * each file with its bytes (consume or destroy each `body` before asking for the next item).
 *
 * @example
 * for await (const item of readBackup('app.zip')) if (item.kind === 'entity') console.log(item.namespace, item.entity.id);
 */
export async function* readBackup(path: string): AsyncGenerator<BackupItem> {
  const backup = await openBackup(path);
  try {
    yield { kind: 'config', config: backup.config };
    for (const namespace of backup.namespaces)
      for await (const line of backup.entities(namespace)) yield { kind: 'entity', namespace, ...line };
    for (const file of backup.files) yield { kind: 'file', ...file, body: await backup.openFile(file.locationId) };
  } finally {
    backup.close();
  }
}

function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: true }, (error, zip) => {
      if (!error) return resolve(zip);
      const failure = error as NodeJS.ErrnoException;
      // A system error (no such file, a directory, no permission) names the zip, as fs's own errors do:
      // yauzl's read of a directory fails without a path.
      if (failure.code)
        return reject(Object.assign(failure, { path: failure.path ?? path, syscall: failure.syscall ?? 'read' }));
      reject(new InstantBackupError(path, `not a readable zip (truncated or corrupt?): ${error.message}`));
    });
  });
}

/** Every entry by name, checked to follow Instant's order: `config.json` first, entities, then files. */
function listEntries(path: string, zip: ZipFile): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    let phase: 'config' | 'entities' | 'files' = 'config';
    const fail = (problem: string, entry?: string) => {
      zip.removeAllListeners('entry');
      reject(new InstantBackupError(path, problem, entry));
    };
    zip.on('error', (error: Error) =>
      reject(new InstantBackupError(path, `not a readable zip (truncated or corrupt?): ${error.message}`)),
    );
    zip.on('end', () => (phase === 'config' ? fail('the zip is empty: expected config.json') : resolve(entries)));
    zip.on('entry', (entry: Entry) => {
      const name = entry.fileName;
      if (name === 'entities/' || name === 'files/') return zip.readEntry();
      if (phase === 'config') {
        if (name !== CONFIG_ENTRY)
          return fail(`expected config.json as the first entry, found ${JSON.stringify(name)}`);
        phase = 'entities';
      } else if (phase === 'entities' && name.startsWith(ENTITIES_PREFIX)) {
        if (!name.endsWith(ENTITIES_SUFFIX) || name.length === ENTITIES_PREFIX.length + ENTITIES_SUFFIX.length)
          return fail('expected entities/<namespace>.jsonl', name);
      } else if (name.startsWith(FILES_PREFIX) && name.length > FILES_PREFIX.length && !name.includes('/', 6)) {
        phase = 'files';
      } else {
        return fail(
          `unexpected entry: after config.json a backup has entities/<namespace>.jsonl entries, then files/<location-id>`,
          name,
        );
      }
      if (entries.has(name)) return fail('the entry appears twice', name);
      if (entry.isEncrypted()) return fail('the entry is encrypted', name);
      entries.set(name, entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/** The entry's bytes as a stream that fails (with {@link InstantBackupError}) unless its CRC-32 matches at the end. */
async function openChecked(path: string, zip: ZipFile, entry: Entry): Promise<Readable> {
  const raw = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) =>
      error ? reject(new InstantBackupError(path, `cannot read: ${error.message}`, entry.fileName)) : resolve(stream),
    ),
  );
  let crc = 0;
  const checked = new PassThrough({
    transform(chunk: Buffer, _encoding, done) {
      crc = crc32(chunk, crc);
      done(null, chunk);
    },
    flush(done) {
      if (crc >>> 0 !== entry.crc32 >>> 0)
        return done(new InstantBackupError(path, 'checksum mismatch (the zip is corrupt)', entry.fileName));
      done();
    },
  });
  raw.on('error', (error: Error) =>
    checked.destroy(
      error instanceof InstantBackupError
        ? error
        : new InstantBackupError(path, `corrupt entry: ${error.message}`, entry.fileName),
    ),
  );
  checked.on('close', () => raw.destroy());
  return raw.pipe(checked);
}

async function readText(path: string, zip: ZipFile, entry: Entry, limit: number): Promise<string> {
  if (entry.uncompressedSize > limit) throw new InstantBackupError(path, `larger than ${limit} bytes`, entry.fileName);
  const stream = await openChecked(path, zip, entry);
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(stream, 'end');
  return Buffer.concat(chunks).toString('utf8');
}

function parseConfig(path: string, text: string): BackupConfig {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new InstantBackupError(path, `invalid JSON: ${(error as Error).message}`, CONFIG_ENTRY);
  }
  const problem = !isPlainObject(config)
    ? 'expected an object'
    : !isPlainObject(config.schema) || !isPlainObject(config.schema.entities)
      ? 'expected a schema with entities'
      : config.rules !== undefined && config.rules !== null && !isPlainObject(config.rules)
        ? 'rules must be an object or null'
        : undefined;
  if (problem) throw new InstantBackupError(path, problem, CONFIG_ENTRY);
  const raw = config as Record<string, unknown> & { schema: Record<string, unknown> };
  return {
    ...raw,
    counts: isPlainObject(raw.counts) ? (raw.counts as Record<string, number>) : {},
    tripleCount: typeof raw.tripleCount === 'number' ? raw.tripleCount : 0,
    rules: (raw.rules ?? null) as BackupConfig['rules'],
    schema: { entities: raw.schema.entities, links: isPlainObject(raw.schema.links) ? raw.schema.links : {} },
  } as BackupConfig;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseEntityLine(path: string, name: string, number: number, line: string): BackupEntity {
  const where = `${name}:${number}`;
  // Checked before parsing: a line nested 10,000 deep never reaches a recursive walk.
  if (jsonDepthExceeds(line, INSTANT_MAX_JSON_DEPTH))
    throw new InstantBackupError(
      path,
      `nested more than ${INSTANT_MAX_JSON_DEPTH} levels deep, past what Instant reads`,
      where,
    );
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch (error) {
    throw new InstantBackupError(path, `invalid JSON: ${(error as Error).message}`, where);
  }
  if (!isPlainObject(row) || !isPlainObject(row.entity))
    throw new InstantBackupError(path, 'expected {"entity": {...}, "createdAt": ms}', where);
  const { entity, createdAt } = row as { entity: Record<string, unknown>; createdAt: unknown };
  if (typeof entity.id !== 'string' || !UUID.test(entity.id))
    throw new InstantBackupError(path, 'the entity has no UUID id', where);
  if (typeof createdAt !== 'number' || !Number.isSafeInteger(createdAt))
    throw new InstantBackupError(path, 'createdAt must be an integer (ms since the epoch)', where);
  if (containsNulCharacter(entity))
    throw new InstantBackupError(path, `a key or value ${NUL_CHARACTER_MESSAGE}`, where);
  return { entity: entity as BackupEntity['entity'], createdAt };
}
