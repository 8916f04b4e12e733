import type { Storage } from '../store/storage.ts';
import { deleteEntity } from '../transact/apply-ops.ts';

/** What an upload records about a file (Instant's S3 object metadata plus where its bytes are). */
export interface UploadedFile {
  readonly path: string;
  readonly size: number;
  readonly contentType: string;
  readonly contentDisposition: string;
  readonly locationId: string;
}

/** A stored file's headers for downloading it. */
export interface FileHeaders {
  readonly contentType: string;
  readonly contentDisposition: string;
}

/**
 * Files as `$files` entities (Instant's `app-file` model): an upload creates the row for its path, or
 * updates the one that path already has (same path, same row) with the new location and metadata.
 * Blobs are the storage's; a row's old blob is deleted once the write commits (see `Storage`).
 */
export class FileStore {
  readonly #storage: Storage;
  readonly #url: (locationId: string) => string;

  /** `url`: the address the file at a location is downloaded from (each read's `$files.url`). */
  constructor(storage: Storage, url: (locationId: string) => string) {
    this.#storage = storage;
    this.#url = url;
  }

  /** The download address of the bytes at `locationId` on this server as it runs now. */
  url(locationId: string): string {
    return this.#url(locationId);
  }

  #attr(label: string) {
    return this.#storage.registry.forward('$files', label)!;
  }

  /** The id of the file at `path`, if any. */
  idOf(path: string): string | undefined {
    return this.#storage.store.withValue(this.#attr('path').id, path)[0]?.e;
  }

  /**
   * Records an upload (inside a write): the row for its path, created or updated, with Instant's
   * columns. Returns what Instant answers: the file id, its location id and size.
   */
  put(file: UploadedFile): { id: string; 'location-id': string; size: number } {
    const { store } = this.#storage;
    const now = this.#storage.now();
    let id = this.idOf(file.path);
    if (!id) {
      id = crypto.randomUUID();
      store.insert(id, this.#attr('id').id, id, now);
      store.insert(id, this.#attr('path').id, file.path, now);
    }
    const values: Record<string, unknown> = {
      size: file.size,
      'content-type': file.contentType,
      'content-disposition': file.contentDisposition,
      'location-id': file.locationId,
      'key-version': 1,
    };
    for (const [label, value] of Object.entries(values)) {
      const attr = this.#attr(label);
      store.clear(id, attr.id);
      store.insert(id, attr.id, value, now);
    }
    // `url` is made at read time from the server's address; a stored one (older versions) would go stale.
    store.clear(id, this.#attr('url').id);
    return { id, 'location-id': file.locationId, size: file.size };
  }

  /** The location id of the file at `path`, if any. */
  locationOf(path: string): string | undefined {
    const id = this.idOf(path);
    const location = id ? this.#storage.store.values(id, this.#attr('location-id').id)[0]?.v : undefined;
    return typeof location === 'string' ? location : undefined;
  }

  /** Every file's path, size and location id, oldest first (the deprecated list route's rows). */
  list(): { path: string; size: number; locationId: string }[] {
    const { store } = this.#storage;
    const value = (id: string, label: string) => store.values(id, this.#attr(label).id)[0]?.v;
    return store.ofAttr(this.#attr('id').id).map(({ e }) => ({
      path: String(value(e, 'path')),
      size: Number(value(e, 'size') ?? 0),
      locationId: String(value(e, 'location-id') ?? ''),
    }));
  }

  /** The headers of the file whose bytes are at `locationId`; undefined when no row holds it. */
  headersAt(locationId: string): FileHeaders | undefined {
    const { store } = this.#storage;
    const id = store.withValue(this.#attr('location-id').id, locationId)[0]?.e;
    if (!id) return undefined;
    const value = (label: string) => store.values(id, this.#attr(label).id)[0]?.v;
    return {
      contentType: String(value('content-type') ?? 'application/octet-stream'),
      contentDisposition: String(value('content-disposition') ?? 'inline'),
    };
  }

  /** Deletes the file at `path` (inside a write; its blob goes after commit); returns its id, if it existed. */
  deleteByPath(path: string): string | undefined {
    const id = this.idOf(path);
    if (id) deleteEntity(this.#storage.registry, this.#storage.store, id, '$files');
    return id;
  }
}
