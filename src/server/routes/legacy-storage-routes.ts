/**
 * The deprecated storage routes (Instant keeps them for old SDKs; `@instantdb/admin` 1.0.67 still calls
 * them from `db.storage.list`, `getDownloadUrl` and `upload`): a legacy listing, a download URL by path,
 * and one-time upload URLs.
 */
import { isUuid } from '../../protocol/uuid.ts';
import { ApiError, paramMalformed } from '../api/api-error.ts';
import { requireAdmin } from '../auth/authenticate.ts';
import type { Handler, StreamRoute } from './context.ts';
import {
  DEFAULT_CONTENT_DISPOSITION,
  DEFAULT_CONTENT_TYPE,
  DOWNLOAD_PREFIX,
  checkDeclaredSize,
  checkedPath,
  nonBlank,
  storeUpload,
} from './storage-routes.ts';

/**
 * `GET /admin/storage/files` (the deprecated `db.storage.list()`, admin only) → `{data: [{key, name,
 * size, etag, last_modified}]}`, Instant's legacy shape: `key` is the S3 object key
 * `<app-id>/<bin>/<location-id>`, `etag` and `last_modified` are null.
 */
export const listFilesRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  const data = ctx.files.list().map((file) => ({
    key: objectKey(ctx.app.appId, file.locationId),
    name: file.path,
    size: file.size,
    etag: null,
    last_modified: null,
  }));
  return { data };
};

/**
 * Instant's S3 object key for a file: `<app-id>/<bin>/<location-id>`, the bin being the location id's
 * Java `String.hashCode`, made non-negative with `Math.abs`, modulo 10 (Clojure's `mod`, never negative).
 */
export function objectKey(appId: string, locationId: string): string {
  let hash = 0;
  for (let i = 0; i < locationId.length; i++) hash = (Math.imul(31, hash) + locationId.charCodeAt(i)) | 0;
  const abs = hash === -2147483648 ? hash : Math.abs(hash);
  return `${appId}/${((abs % 10) + 10) % 10}/${locationId}`;
}

/**
 * `GET /admin/storage/signed-download-url?filename=<path>` (deprecated `getDownloadUrl`, admin only) →
 * `{data: url}`, or `{data: null}` when no file has the path (Instant signs no URL without a location).
 */
export const signedDownloadUrlRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  const path = checkedPath(req.query.get('filename') ?? undefined, ['params', 'filename']);
  const location = ctx.files.locationOf(path);
  return { data: location === undefined ? null : ctx.files.url(location) };
};

/**
 * `POST /admin/storage/signed-upload-url` `{filename}` (deprecated `upload`, admin only) → `{data: url}`:
 * a one-time address, valid five minutes, to `PUT` the file's bytes to (no token needed there).
 */
export const signedUploadUrlRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  const path = checkedPath(req.body.filename, ['body', 'filename']);
  return { data: ctx.uploads.address(ctx.uploads.pending.create(path)) };
};

/** Where one-time upload URLs point: `PUT /storage/<upload-id>/consume-upload-url`. */
export const CONSUME_UPLOAD_SUFFIX = '/consume-upload-url';

/**
 * `PUT /storage/<upload-id>/consume-upload-url`, the raw bytes as body → `{data: {id, location-id,
 * size}}`: stores the file at the path the URL was made for (no permission check, as in Instant). The
 * URL is used up first; an unknown, used or expired one is Instant's `validation-failed`.
 */
export const consumeUploadRoute: StreamRoute = {
  async stream(req, body, ctx) {
    const raw = req.path.slice(DOWNLOAD_PREFIX.length, -CONSUME_UPLOAD_SUFFIX.length);
    if (!isUuid(raw)) throw paramMalformed(['params', 'upload-id'], raw);
    const uploadId = raw.toLowerCase();
    const path = ctx.uploads.pending.consume(uploadId);
    if (path === undefined) throw expiredUploadUrl(uploadId);
    checkDeclaredSize(req, ctx);
    return storeUpload(ctx, body, {
      path,
      contentType: nonBlank(req, 'content-type') ?? DEFAULT_CONTENT_TYPE,
      contentDisposition: DEFAULT_CONTENT_DISPOSITION,
    });
  },
};

/**
 * Instant's answer for an unknown or expired upload URL. Its `throw-validation-err!` is given the
 * message as `errors` (a string, not a list), so the message has no suffix and the hint carries it.
 */
function expiredUploadUrl(uploadId: string): ApiError {
  return new ApiError(400, 'validation-failed', 'Validation failed for app-upload-url', {
    'data-type': 'app-upload-url',
    input: uploadId,
    errors: 'The upload URL is expired or invalid.',
  });
}
