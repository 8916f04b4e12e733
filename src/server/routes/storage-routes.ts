import { isUuid } from '../../protocol/uuid.ts';
import { ApiError, paramMalformed, paramMissing } from '../api/api-error.ts';
import { header, type ApiRequest } from '../api/api-request.ts';
import { resolveCaller } from '../auth/authenticate.ts';
import type { Caller } from '../permissions/caller.ts';
import { BlobTooLargeError } from '../store/blob-store.ts';
import type { FileRoute, Handler, ServerContext, StreamRoute } from './context.ts';

/**
 * Largest file an upload takes: 32 MiB, the same bound as a JSON body (Instant's own limit is not
 * published). The body is streamed to disk and never held in memory, so this bounds disk use, not
 * memory; a larger declared `content-length` is refused before a byte is read.
 */
export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

/** Longest `path` an upload takes (Instant states none; its index would refuse far longer ones). */
export const MAX_PATH_LENGTH = 1024;

/** S3's defaults, which Instant's rows show when an upload names no type or disposition. */
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const DEFAULT_CONTENT_DISPOSITION = 'inline';

/** A header's value trimmed, or undefined when absent or blank (Instant's `coerce-non-blank-str`). */
function nonBlank(req: ApiRequest, name: string): string | undefined {
  const value = header(req, name)?.trim();
  return value ? value : undefined;
}

function readPath(req: ApiRequest): string {
  const raw = header(req, 'path');
  if (raw === undefined) throw paramMissing(['headers', 'path']);
  if (raw.length > MAX_PATH_LENGTH)
    throw paramMalformed(['headers', 'path'], undefined, { 'max-length': MAX_PATH_LENGTH });
  const path = raw.trim();
  if (path === '') throw paramMalformed(['headers', 'path'], raw);
  return path;
}

function tooLarge(): ApiError {
  return new ApiError(413, 'payload-too-large', `File is larger than ${MAX_UPLOAD_BYTES} bytes.`, {
    'max-bytes': MAX_UPLOAD_BYTES,
  });
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
 * `PUT /admin/storage/upload`, the raw bytes as body, `path` header (and optional `content-type`,
 * `content-disposition`) → `{data: {id, location-id, size}}`. The bytes are streamed to a new blob named
 * by a fresh location id, then the `$files` row for `path` is created, or updated if the path has one
 * (its old blob is deleted after commit). The admin, or a caller the `$files` create rule allows.
 */
export const uploadRoute: StreamRoute = {
  async stream(req, body, ctx) {
    const caller = resolveCaller(req, ctx.app, ctx.users);
    const path = readPath(req);
    const declared = header(req, 'content-length');
    if (declared !== undefined && Number(declared) > MAX_UPLOAD_BYTES) throw tooLarge();
    if (declared !== undefined && Number(declared) === 0) throw paramMissing(['body']);
    assertStoragePermission(ctx, caller, 'create', path);
    const locationId = crypto.randomUUID();
    const size = await ctx.storage.blobs.write(locationId, body, MAX_UPLOAD_BYTES).catch((error: unknown) => {
      throw error instanceof BlobTooLargeError ? tooLarge() : error;
    });
    try {
      if (size === 0) throw paramMissing(['body']);
      const file = {
        path,
        size,
        locationId,
        contentType: contentType(req),
        contentDisposition: nonBlank(req, 'content-disposition') ?? DEFAULT_CONTENT_DISPOSITION,
      };
      return { data: ctx.storage.write(() => ctx.files.put(file)) };
    } catch (error) {
      ctx.storage.blobs.remove(locationId);
      throw error;
    }
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
 * address stored as `$files.url`. Like Instant's signed URLs it needs no token (the location id is a
 * random UUID, and a new upload to the path makes a new one); 404 when no `$files` row holds it.
 */
export const downloadRoute: FileRoute = {
  file(req, ctx) {
    const [appId, locationId, ...rest] = req.path.slice(DOWNLOAD_PREFIX.length).split('/');
    const known = rest.length === 0 && appId === ctx.app.appId && isUuid(locationId);
    const headers = known ? ctx.files.headersAt(locationId!.toLowerCase()) : undefined;
    const blob = headers ? ctx.storage.blobs.read(locationId!.toLowerCase()) : undefined;
    if (!headers || !blob)
      throw new ApiError(404, 'record-not-found', 'Record not found: file', { 'record-type': 'file' });
    return { ...headers, ...blob };
  },
};

function readFilename(req: ApiRequest): string {
  const value = req.query.get('filename');
  if (value === null) throw paramMissing(['params', 'filename']);
  if (value.trim() === '') throw paramMalformed(['params', 'filename'], value);
  return value.trim();
}

/**
 * `DELETE /admin/storage/files?filename=<path>` → `{data: {id}}` (`id` null when no file has the path).
 * Its blob is deleted after commit. The admin, or a caller the `$files` delete rule allows.
 */
export const deleteFileRoute: Handler = (req, ctx) => {
  const caller = resolveCaller(req, ctx.app, ctx.users);
  const path = readFilename(req);
  assertStoragePermission(ctx, caller, 'delete', path);
  return { data: { id: ctx.files.deleteByPath(path) ?? null } };
};

/** `POST /admin/storage/files/delete` `{filenames: [path, …]}` → `{data: {ids}}`, the files deleted. */
export const deleteFilesRoute: Handler = (req, ctx) => {
  const caller = resolveCaller(req, ctx.app, ctx.users);
  const paths = req.body.filenames;
  if (paths === undefined) throw paramMissing(['body', 'filenames']);
  if (!Array.isArray(paths) || !paths.every((path) => typeof path === 'string'))
    throw paramMalformed(['body', 'filenames'], paths);
  for (const path of paths) assertStoragePermission(ctx, caller, 'delete', path);
  return { data: { ids: paths.flatMap((path) => ctx.files.deleteByPath(path) ?? []) } };
};
