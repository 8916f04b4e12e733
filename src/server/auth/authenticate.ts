import { isUuid } from '../../protocol/uuid.ts';
import { ApiError, paramMalformed, paramMissing } from '../api/api-error.ts';
import { header, type ApiRequest } from '../api/api-request.ts';
import type { Caller } from '../permissions/caller.ts';
import type { UserStore } from '../users/user-store.ts';

/** The app this server serves and its admin token. */
export interface AppCredentials {
  readonly appId: string;
  readonly adminToken: string;
}

/**
 * The app id from the `app-id` header or `app_id` query parameter (header first), checked as Instant
 * checks it.
 */
export function readAppId(req: ApiRequest): string {
  const fromHeader = header(req, 'app-id');
  const fromQuery = req.query.get('app_id') ?? undefined;
  const [value, location] =
    fromHeader !== undefined ? [fromHeader, ['headers', 'app-id']] : [fromQuery, ['query-params', 'app_id']];
  if (value === undefined) throw paramMissing(['headers', 'app-id'], { 'possible-ins': [['query-params', 'app_id']] });
  if (!isUuid(value.trim()))
    throw paramMalformed(location, value, {
      'possible-ins': [
        ['headers', 'app-id'],
        ['query-params', 'app_id'],
      ],
    });
  return value.trim().toLowerCase();
}

/**
 * Checks the `authorization: Bearer <admin token>` header (a bare token works too, as in Instant).
 * Unlike Instant, a wrong token is never echoed back in the error.
 */
export function requireAdmin(req: ApiRequest, app: AppCredentials): void {
  const appId = readAppId(req);
  const raw = header(req, 'authorization');
  if (raw === undefined) throw paramMissing(['headers', 'authorization']);
  const token = raw.split('Bearer ').at(-1)!.trim();
  if (!isUuid(token)) throw paramMalformed(['headers', 'authorization'], undefined);
  if (appId !== app.appId || token.toLowerCase() !== app.adminToken.toLowerCase()) {
    throw new ApiError(400, 'record-not-found', 'Record not found: app-admin-token', {
      args: [{ 'app-id': appId }],
      message: 'This admin token may be expired or invalid. Or you may have provided an incorrect app ID.',
      'record-type': 'app-admin-token',
    });
  }
}

/**
 * Who the request acts as, by Instant's precedence: `as-token` (no admin token needed), then
 * `as-email` (admin token required), then `as-guest` (any value), else the admin.
 */
export function resolveCaller(req: ApiRequest, app: AppCredentials, users: UserStore): Caller {
  const asToken = header(req, 'as-token');
  const asEmail = header(req, 'as-email');
  if (asToken !== undefined) {
    const appId = readAppId(req);
    if (!isUuid(asToken)) throw paramMalformed(['asUser', 'token'], undefined);
    const user = appId === app.appId ? users.byToken(asToken) : undefined;
    if (!user) throw userNotFound({ 'app-id': appId });
    return { kind: 'user', user };
  }
  if (asEmail !== undefined) {
    requireAdmin(req, app);
    const user = users.byEmail(asEmail);
    if (!user) throw userNotFound({ 'app-id': app.appId, email: asEmail });
    return { kind: 'user', user };
  }
  if (header(req, 'as-guest') !== undefined) {
    readAppId(req);
    return { kind: 'guest' };
  }
  requireAdmin(req, app);
  return { kind: 'admin' };
}

/**
 * Instant's `record-not-found` for an app user.
 */
export function userNotFound(args: Record<string, unknown>): ApiError {
  return new ApiError(400, 'record-not-found', 'Record not found: app-user', {
    args: [args],
    'record-type': 'app-user',
  });
}
