import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  type ReadStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { once } from 'node:events';
import { isUuid } from '../../protocol/uuid.ts';

/** Thrown by {@link BlobStore.write} when the source holds more bytes than allowed; nothing is kept. */
export class BlobTooLargeError extends Error {
  override name = 'BlobTooLargeError';
  readonly limit: number;

  constructor(limit: number) {
    super(`the file is larger than ${limit} bytes`);
    this.limit = limit;
  }
}

/**
 * The uploaded files' bytes, one file per blob in one folder. A blob's file name is its location id (a
 * UUID, checked on every call), never anything a user chose, so no path a user sends can reach outside
 * the folder. The folder is made on the first write: the one given, or (when none is) a temporary
 * folder that {@link BlobStore.close} removes.
 */
export class BlobStore {
  readonly #temporary: boolean;
  #dir: string | undefined;
  #made = false;

  /** `dir`: where blobs live (kept on close); omitted: a temporary folder removed on close. */
  constructor(dir?: string) {
    this.#temporary = dir === undefined;
    this.#dir = dir;
  }

  /**
   * Streams `source` into the blob `name` (never holding it whole in memory) and returns its size. Past
   * `limit` bytes it stops reading, deletes what it wrote and throws {@link BlobTooLargeError}; the
   * source is not destroyed, so its request can still be answered.
   */
  async write(name: string, source: Readable, limit: number): Promise<number> {
    const file = this.#file(name, true);
    const out = createWriteStream(file, { flags: 'wx' });
    // A write failing after the upload was given up (destroyed) must not be an unhandled 'error'.
    let failure: unknown;
    out.on('error', (error) => {
      failure ??= error;
    });
    let size = 0;
    try {
      for await (const chunk of source.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) throw new BlobTooLargeError(limit);
        if (!out.write(chunk)) await once(out, 'drain');
        if (failure) throw failure;
      }
      out.end();
      await finished(out);
      return size;
    } catch (error) {
      out.destroy();
      // Wait for the file to be closed, so it is removed for good (not re-created by a pending write).
      await finished(out).catch(() => undefined);
      rmSync(file, { force: true });
      throw error;
    }
  }

  /** The blob's size in bytes; undefined when there is no such blob. */
  size(name: string): number | undefined {
    if (!this.#dir || !isUuid(name)) return undefined;
    try {
      return statSync(this.#file(name, false)).size;
    } catch {
      return undefined;
    }
  }

  /**
   * The blob's bytes as a stream (from `start` to `end` inclusive, when given). The caller has its
   * {@link BlobStore.size} already (to answer a range, or 404): the file is not looked at twice.
   */
  stream(name: string, part?: { readonly start: number; readonly end: number }): ReadStream {
    return createReadStream(this.#file(name, false), part ? { start: part.start, end: part.end } : {});
  }

  /** Deletes the blob (nothing when there is none). */
  remove(name: string): void {
    if (this.#dir && isUuid(name)) rmSync(this.#file(name, false), { force: true });
  }

  /** Removes the temporary folder, if this store made one. */
  close(): void {
    if (this.#temporary && this.#dir) rmSync(this.#dir, { recursive: true, force: true });
    if (this.#temporary) this.#dir = undefined;
  }

  #file(name: string, create: boolean): string {
    if (!isUuid(name)) throw new Error(`a blob name must be a UUID, got ${JSON.stringify(name.slice(0, 40))}`);
    if (create && !this.#made) {
      if (this.#dir) mkdirSync(this.#dir, { recursive: true });
      else this.#dir = mkdtempSync(join(tmpdir(), 'instant-tx-files-'));
      this.#made = true;
    }
    return join(this.#dir!, name.toLowerCase());
  }
}
