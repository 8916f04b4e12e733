import { isUuid } from '../../protocol/uuid.ts';
import type { Readable } from 'node:stream';
import { ApiError, paramMalformed, paramMissing } from '../api/api-error.ts';
import { header, type ApiRequest } from '../api/api-request.ts';
import { resolveCaller } from '../auth/authenticate.ts';
import type { Caller } from '../permissions/caller.ts';
import { BlobTooLargeError } from '../store/blob-store.ts';
import { parseByteRange } from './byte-range.ts';
import { checkNoNulBytes } from '../transact/nul-bytes.ts';
import type { UploadedFile } from '../users/file-store.ts';
import type { FileRoute, Handler, ServerContext, StreamRoute } from './context.ts';

/**
 * Largest file an upload takes unless the server is started with another `maxFileBytes`: 1 GiB.
 * Instant states no limit of its own (its HTTP server takes bodies of any size, S3 up to 5 GB in one
 * put); the local server keeps one so a runaway upload cannot fill the disk. The body is streamed to
 * disk and never held in memory, so this bounds disk use, not memory; a larger declared
 * `content-length` is refused before a byte is read.
 */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024 * 1024;

/** Longest `path` an upload takes (Instant states none; its index would refuse far longer ones). */
export const MAX_PATH_LENGTH = 1024;

/** S3's defaults, which Instant's rows show when an upload names no type or disposition. */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
export const DEFAULT_CONTENT_DISPOSITION = 'inline';

/** Instant's `coerce-non-blank-str`: a number as text, a string trimmed, else (or when blank) undefined. */
function nonBlankText(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A header's value trimmed, or undefined when absent or blank. */
export function nonBlank(req: ApiRequest, name: string): string | undefined {
  return nonBlankText(header(req, name));
}

/**
 * A file path as Instant reads it (present, not blank, trimmed), checked further here: at most
 * {@link MAX_PATH_LENGTH} characters (not echoed back) and no NUL character (which Instant's Postgres
 * cannot store: its answer is the same `validation-failed`). A path is only ever a key of a `$files`
 * row; blobs are named by random location ids, so `../`, `/etc/passwd` or `__proto__` stay names.
 */
export function checkedPath(raw: unknown, location: readonly string[]): string {
  if (raw === undefined || raw === null) throw paramMissing(location);
  if (typeof raw === 'string' && raw.length > MAX_PATH_LENGTH)
    throw paramMalformed(location, undefined, { 'max-length': MAX_PATH_LENGTH });
  const path = nonBlankText(raw);
  if (path === undefined) throw paramMalformed(location, raw);
  checkNoNulBytes(path);
  return path;
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'payload-too-large', `File is larger than ${limit} bytes.`, { 'max-bytes': limit });
}

function incomplete(): ApiError {
  return new ApiError(400, 'param-malformed', 'The upload ended before all of its bytes arrived.', { in: ['body'] });
}

/**
 * Instant's storage permission check for a non-admin caller: the `$files` rule for `action` with
 * `data.path` (denied when there is none: the system fallback), else `permission-denied`.
 */
function assertStoragePermission(ctx: ServerContext, caller: Caller, action: 'create' | 'delete', path: string): void {
  if (caller.kind === 'admin' || ctx.permissions.check(caller, '$files', action, { path }, {}).pass) return;
  throw new ApiError(400, 'permission-denied', 'Permission denied: not has-storage-permission?', {
    input: ['$files', action],
    expected: 'has-storage-permission?',
  });
}

/**
 * Streams an upload's bytes into a new blob (named by a fresh location id, never by the path), then
 * records the `$files` row for `path` in its own write: created, or updated if the path has one (same
 * row; its old blob is deleted after commit). Past the server's `maxFileBytes` the upload stops with
 * a 413 and nothing is kept. Answers Instant's `{data: {id, location-id, size}}`.
 */
export async function storeUpload(
  ctx: ServerContext,
  body: Readable,
  file: Omit<UploadedFile, 'size' | 'locationId'>,
): Promise<{ data: unknown }> {
  const limit = ctx.uploads.maxFileBytes;
  const locationId = crypto.randomUUID();
  const size = await ctx.storage.blobs.write(locationId, body, limit).catch((error: unknown) => {
    if (error instanceof BlobTooLargeError) throw tooLarge(limit);
    // The client went away mid-upload: nothing is kept, and it is no server fault to log.
    if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') throw incomplete();
    throw error;
  });
  try {
    return { data: ctx.storage.write(() => ctx.files.put({ ...file, size, locationId })) };
  } catch (error) {
    ctx.storage.blobs.remove(locationId);
    throw error;
  }
}

/** Refuses a body whose declared `content-length` is over the limit, before a byte is read. */
export function checkDeclaredSize(req: ApiRequest, ctx: ServerContext): void {
  const declared = header(req, 'content-length');
  const limit = ctx.uploads.maxFileBytes;
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
}

/**
 * `PUT /admin/storage/upload`, the raw bytes as body, `path` header (and optional `content-type`,
 * `content-disposition`) → `{data: {id, location-id, size}}`. The admin, or a caller the `$files`
 * create rule allows. An empty body is an empty file, as in Instant (its body is always a stream).
 */
export const uploadRoute: StreamRoute = {
  async stream(req, body, ctx) {
    const caller = resolveCaller(req, ctx.app, ctx.users);
    const path = checkedPath(header(req, 'path'), ['headers', 'path']);
    checkDeclaredSize(req, ctx);
    assertStoragePermission(ctx, caller, 'create', path);
    return storeUpload(ctx, body, {
      path,
      contentType: contentType(req),
      contentDisposition: nonBlank(req, 'content-disposition') ?? DEFAULT_CONTENT_DISPOSITION,
    });
  },
};

/** The upload's content type; `null` and `undefined` (what some clients send for none) count as none. */
function contentType(req: ApiRequest): string {
  const value = nonBlank(req, 'content-type');
  return value === undefined || value === 'null' || value === 'undefined' ? DEFAULT_CONTENT_TYPE : value;
}

/** Where the local server serves a file's bytes: `GET /storage/<app-id>/<location-id>`. */
export const DOWNLOAD_PREFIX = '/storage/';

/**
 * `GET /storage/<app-id>/<location-id>` → the file's bytes with its content type and disposition: the
 * address each read gives as `$files.url`. Like Instant's signed URLs it needs no token (the location
 * id is a random UUID, and a new upload to the path makes a new one); 404 when no `$files` row holds it.
 * A `Range` header gets just those bytes (206), as from S3, so players can seek in audio and video.
 */
export const downloadRoute: FileRoute = {
  file(req, ctx) {
    const [appId, locationId, ...rest] = req.path.slice(DOWNLOAD_PREFIX.length).split('/');
    const known = rest.length === 0 && appId === ctx.app.appId && isUuid(locationId);
    const location = known ? locationId!.toLowerCase() : '';
    const headers = known ? ctx.files.headersAt(location) : undefined;
    const size = headers ? ctx.storage.blobs.size(location) : undefined;
    if (!headers || size === undefined)
      throw new ApiError(404, 'record-not-found', 'Record not found: file', { 'record-type': 'file' });
    const range = parseByteRange(header(req, 'range'), size);
    if (range === 'unsatisfiable')
      throw new ApiError(416, 'invalid-range', 'The requested range is not satisfiable.', { size });
    const body = ctx.storage.blobs.stream(location, range);
    return range ? { ...headers, body, size: range.end - range.start + 1, range } : { ...headers, body, size };
  },
};

/**
 * `DELETE /admin/storage/files?filename=<path>` → `{data: {id}}` (`id` null when no file has the path).
 * Its blob is deleted after commit. The admin, or a caller the `$files` delete rule allows.
 */
export const deleteFileRoute: Handler = (req, ctx) => {
  const caller = resolveCaller(req, ctx.app, ctx.users);
  const path = checkedPath(req.query.get('filename') ?? undefined, ['params', 'filename']);
  assertStoragePermission(ctx, caller, 'delete', path);
  return { data: { id: ctx.files.deleteByPath(path) ?? null } };
};

/**
 * `POST /admin/storage/files/delete` `{filenames: [path, …]}` → `{data: {ids}}`, the files deleted.
 * Every path is checked (and permitted) before any is deleted; all go in one transaction.
 */
export const deleteFilesRoute: Handler = (req, ctx) => {
  const caller = resolveCaller(req, ctx.app, ctx.users);
  const paths = req.body.filenames;
  if (paths === undefined || paths === null) throw paramMissing(['body', 'filenames']);
  if (!Array.isArray(paths) || !paths.every((path) => typeof path === 'string'))
    throw paramMalformed(['body', 'filenames'], paths);
  for (const path of paths) checkNoNulBytes(path);
  for (const path of paths) assertStoragePermission(ctx, caller, 'delete', path);
  return { data: { ids: paths.flatMap((path) => ctx.files.deleteByPath(path) ?? []) } };
};
