import { checkWholeNumber } from './number-options.ts';
import { InstantAPIError } from '../errors/instant-api-error.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import { checkHeader } from './client-config.ts';
import { expectField, isObject, isString } from './expect-shape.ts';
import type { CallOptions, HttpClient } from './http-client.ts';
import { classifyUpload, type UploadData } from './upload-body.ts';

/** A file's metadata for an upload, as `@instantdb/admin` takes it. */
export interface FileOpts {
  /** The `content-type` stored and served with the file (default: a Blob's type, else `application/octet-stream`). */
  readonly contentType?: string;
  /** The `content-disposition` stored and served with the file (default `inline`). */
  readonly contentDisposition?: string;
  /** The file's size in bytes: required for a stream (sent as `content-length`), ignored otherwise. */
  readonly fileSize?: number;
}

/** Options of `db.storage.uploadFile`: the file's metadata and the per-call options. */
export interface UploadFileOptions extends FileOpts, CallOptions {}

/** What `uploadFile` resolves with: the `$files` row's id (Instant adds the location id and size). */
export type UploadFileResponse = {
  readonly data: { readonly id: string; readonly 'location-id'?: string; readonly size?: number };
};

/** What `delete` resolves with: the deleted file's id, or null when no file had the path. */
export type DeleteFileResponse = { readonly data: { readonly id: string | null } };

/** What `deleteMany` resolves with: the ids of the files deleted. */
export type DeleteManyFileResponse = { readonly data: { readonly ids: string[] | null } };

/** A file as the deprecated `list` shows it (Instant's legacy S3 listing; `etag`, `last_modified` null). */
export type StorageFile = {
  readonly key: string;
  readonly name: string;
  readonly size: number;
  readonly etag: string | null;
  readonly last_modified: number | null;
};

const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';

/**
 * `db.storage`: files in the app's storage, with the names and wire of `@instantdb/admin`. Uploads go
 * to `PUT /admin/storage/upload` as raw bytes; each file is a `$files` row (query it for its `url`,
 * link it like any entity). `uploadFile`, `delete` and `deleteMany` act as the user of `db.asUser`
 * (checked against the `$files` rules); the deprecated `upload`, `list` and `getDownloadUrl` need the
 * admin token, as in the official SDK.
 *
 * Retries: an upload of bytes in memory is retried like a read (on 408/429/5xx, timeouts and network
 * errors) since it can be sent again and an upload to the same path replaces the file in the same row;
 * an upload of a stream is never retried (its bytes are gone once sent) and goes out without ky, so it
 * is never buffered. `delete`/`deleteMany` retry like writes (only where nothing can have happened);
 * `list`/`getDownloadUrl` like reads.
 *
 * @example
 * const { data } = await db.storage.uploadFile('photos/demo.png', Buffer.from('…'), { contentType: 'image/png' });
 * await db.storage.delete('photos/demo.png'); // data.id was its $files row
 */
export class StorageApi {
  readonly #http: HttpClient;
  readonly #headers: (adminOnly: boolean) => Record<string, string>;

  /** @internal Made by `init` (`db.storage`). */
  constructor(http: HttpClient, headers: (adminOnly: boolean) => Record<string, string>) {
    this.#http = http;
    this.#headers = headers;
  }

  /**
   * Uploads a file to `path` (replacing the file there, same row, if any) and resolves with its
   * `$files` id. `data` is bytes (`Buffer`, `Uint8Array`, `ArrayBuffer`, `Blob`) or a stream
   * (`ReadableStream`, Node `Readable`), which needs `fileSize`. Problems with the arguments reject
   * with an `InstantValidationError` before anything is sent.
   *
   * @example
   * const { data } = await db.storage.uploadFile('photos/demo.png', Buffer.from('…'), { contentType: 'image/png' });
   */
  async uploadFile(path: string, data: UploadData, options: UploadFileOptions = {}): Promise<UploadFileResponse> {
    const { contentType, contentDisposition, fileSize, ...call } = options;
    const issues: ValidationIssue[] = [];
    checkPathHeader(path, 'storage.uploadFile.path', issues);
    const body = classifyUpload(data, 'storage.uploadFile.data', issues);
    for (const [name, value, label] of [
      ['content-type', contentType, 'contentType'],
      ['content-disposition', contentDisposition, 'contentDisposition'],
    ] as const) {
      if (value === undefined) continue;
      if (typeof value !== 'string')
        issues.push(createIssue('invalid-argument', `storage.uploadFile.${label}`, 'expected a string'));
      else checkHeader(name, value, `storage.uploadFile.${label}`, issues);
    }
    checkWholeNumber(call.timeout, 'storage.uploadFile.timeout', issues, 1);
    if (fileSize !== undefined && !(Number.isSafeInteger(fileSize) && fileSize >= 0))
      issues.push(createIssue('invalid-argument', 'storage.uploadFile.fileSize', 'expected a whole number of bytes'));
    else if (body?.kind === 'stream' && fileSize === undefined)
      issues.push(
        createIssue(
          'invalid-argument',
          'storage.uploadFile.fileSize',
          'required when uploading a stream (its size in bytes)',
        ),
      );
    if (issues.length > 0) throw new InstantValidationError(issues, 'db.storage.uploadFile');
    const headers: Record<string, string> = { ...this.#headers(false), path };
    if (contentDisposition) headers['content-disposition'] = contentDisposition;
    if (contentType) headers['content-type'] = contentType;
    const request = { method: 'put', path: 'admin/storage/upload', headers, ...call } as const;
    const answer =
      body!.kind === 'stream'
        ? await this.#http.sendOnce({
            ...request,
            kind: 'write',
            headers: { ...headers, 'content-length': String(fileSize) },
            body: body!.body,
          })
        : await this.#http.send({
            ...request,
            kind: 'read',
            body: body!.body,
            ...(call.timeout === undefined ? {} : { totalTimeout: call.timeout }),
          });
    const site = 'PUT /admin/storage/upload';
    const file = expectField(answer, 'data', 'an object', isObject, site);
    expectField(file, 'id', 'a string', isString, site);
    return answer as UploadFileResponse;
  }

  /**
   * Deletes the file at `path` (its row, and its bytes); resolves with its id, or `null` when no file had
   * the path. The official SDK marks it deprecated in favour of `db.transact(db.tx.$files[id].delete())`.
   *
   * @example
   * const { data } = await db.storage.delete('photos/demo.png'); // data.id: the deleted file's id, or null
   */
  async delete(path: string, options: CallOptions = {}): Promise<DeleteFileResponse> {
    const issues: ValidationIssue[] = [];
    checkPath(path, 'storage.delete.path', issues);
    if (issues.length > 0) throw new InstantValidationError(issues, 'db.storage.delete');
    const answer = await this.#http.send({
      method: 'delete',
      path: 'admin/storage/files',
      kind: 'write',
      headers: { 'content-type': 'application/json', ...this.#headers(false) },
      searchParams: { filename: path },
      ...options,
    });
    const site = 'DELETE /admin/storage/files';
    expectField(
      expectField(answer, 'data', 'an object', isObject, site),
      'id',
      'a string or null',
      isStringOrNull,
      site,
    );
    return answer as DeleteFileResponse;
  }

  /**
   * Deletes the files at `paths` in one transaction; resolves with the ids of those that existed.
   *
   * @example
   * const { data } = await db.storage.deleteMany(['images/1.png', 'images/2.png']); // data.ids
   */
  async deleteMany(paths: readonly string[], options: CallOptions = {}): Promise<DeleteManyFileResponse> {
    const issues: ValidationIssue[] = [];
    if (!Array.isArray(paths))
      issues.push(createIssue('invalid-argument', 'storage.deleteMany.paths', 'expected an array of paths'));
    else for (const [index, path] of paths.entries()) checkPath(path, `storage.deleteMany.paths[${index}]`, issues);
    if (issues.length > 0) throw new InstantValidationError(issues, 'db.storage.deleteMany');
    const answer = await this.#http.send({
      method: 'post',
      path: 'admin/storage/files/delete',
      kind: 'write',
      headers: { 'content-type': 'application/json', ...this.#headers(false) },
      json: { filenames: paths },
      ...options,
    });
    const site = 'POST /admin/storage/files/delete';
    const data = expectField(answer, 'data', 'an object', isObject, site);
    expectField(data, 'ids', 'an array or null', (v): v is unknown[] | null => v === null || Array.isArray(v), site);
    return answer as DeleteManyFileResponse;
  }

  /**
   * Deprecated (as in the official SDK; use `uploadFile`): asks for a one-time upload URL for `path`,
   * then `PUT`s `file` there. Resolves with whether the second request succeeded, as the official does.
   *
   * @example
   * const ok = await db.storage.upload('photos/demo.png', Buffer.from('…'), { contentType: 'image/png' });
   */
  async upload(
    path: string,
    file: Uint8Array | ArrayBuffer | Blob,
    options: FileOpts & CallOptions = {},
  ): Promise<boolean> {
    const { contentType, contentDisposition: _disposition, fileSize: _size, ...call } = options;
    const issues: ValidationIssue[] = [];
    checkPath(path, 'storage.upload.path', issues);
    const body = classifyUpload(file, 'storage.upload.file', issues);
    if (body?.kind === 'stream')
      issues.push(
        createIssue(
          'invalid-argument',
          'storage.upload.file',
          'expected bytes, not a stream: use uploadFile for streams',
        ),
      );
    if (contentType !== undefined)
      checkHeader('content-type', String(contentType), 'storage.upload.contentType', issues);
    if (issues.length > 0) throw new InstantValidationError(issues, 'db.storage.upload');
    const answer = await this.#http.send({
      method: 'post',
      path: 'admin/storage/signed-upload-url',
      kind: 'read',
      headers: { 'content-type': 'application/json', ...this.#headers(true) },
      json: { app_id: this.#appId(), filename: path },
      ...call,
    });
    const url = expectField(answer, 'data', 'a URL', isString, 'POST /admin/storage/signed-upload-url');
    try {
      await this.#http.fetchOnce(
        url,
        { method: 'put', headers: contentType ? { 'Content-Type': contentType } : {}, body: body!.body, ...call },
        'storage (signed upload URL)',
      );
      return true;
    } catch (error) {
      if (error instanceof InstantAPIError) return false;
      throw error;
    }
  }

  /**
   * Deprecated (query `$files` instead): every file as Instant's legacy listing shows it.
   *
   * @example
   * const files = await db.storage.list(); // [{ key, name, size, etag: null, last_modified: null }, …]
   */
  async list(options: CallOptions = {}): Promise<StorageFile[]> {
    const answer = await this.#http.send({
      method: 'get',
      path: 'admin/storage/files',
      kind: 'read',
      headers: { 'content-type': 'application/json', ...this.#headers(true) },
      ...options,
    });
    return expectField(
      answer,
      'data',
      'an array',
      (v): v is StorageFile[] => Array.isArray(v),
      'GET /admin/storage/files',
    );
  }

  /**
   * Deprecated (query `$files` for its `url` instead): the download URL of the file at `path`, or
   * `null` when there is none.
   *
   * @example
   * const url = await db.storage.getDownloadUrl('photos/demo.png');
   */
  async getDownloadUrl(path: string, options: CallOptions = {}): Promise<string | null> {
    const issues: ValidationIssue[] = [];
    checkPath(path, 'storage.getDownloadUrl.path', issues);
    if (issues.length > 0) throw new InstantValidationError(issues, 'db.storage.getDownloadUrl');
    const answer = await this.#http.send({
      method: 'get',
      path: 'admin/storage/signed-download-url',
      kind: 'read',
      headers: { 'content-type': 'application/json', ...this.#headers(true) },
      searchParams: { filename: path },
      ...options,
    });
    return expectField(answer, 'data', 'a URL or null', isStringOrNull, 'GET /admin/storage/signed-download-url');
  }

  #appId(): string {
    return this.#headers(true)['app-id']!;
  }
}

/** A path must be a string with something besides spaces in it (Instant trims it and refuses a blank one). */
function checkPath(path: unknown, at: string, issues: ValidationIssue[]): void {
  if (typeof path !== 'string') issues.push(createIssue('invalid-argument', at, 'expected a string path'));
  else if (path.trim() === '') issues.push(createIssue('invalid-argument', at, 'a path cannot be empty or blank'));
  else if (path.includes('\u0000'))
    issues.push(createIssue('invalid-argument', at, 'a path cannot contain NUL characters'));
}

/** An upload's path travels in a header, so it must also be printable ASCII. */
function checkPathHeader(path: unknown, at: string, issues: ValidationIssue[]): void {
  const before = issues.length;
  checkPath(path, at, issues);
  if (issues.length === before) checkHeader('path', path as string, at, issues);
}
