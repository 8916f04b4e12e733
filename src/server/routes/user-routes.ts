import { isUuid } from '../../protocol/uuid.ts';
import { readAppId, requireAdmin, userNotFound } from '../auth/authenticate.ts';
import { paramMalformed, paramMissing, validationFailed } from '../api/api-error.ts';
import { coerceEmail } from '../users/email-address.ts';
import { checkExtraFields } from '../users/extra-fields.ts';
import { createMagicCode } from '../users/magic-codes.ts';
import { requireEmail } from './auth-routes.ts';
import type { User } from '../users/user-store.ts';
import type { Handler, ServerContext } from './context.ts';
import type { ApiRequest } from '../api/api-request.ts';

/** An email param, coerced as Instant does (lower-cased, trimmed, its pattern); else `param-malformed`. */
function readEmail(value: unknown, location: string[]): string {
  const email = coerceEmail(value);
  if (email === undefined) throw paramMalformed(location, value);
  return email;
}

function readUuid(value: unknown, location: string[]): string {
  if (!isUuid(value)) throw paramMalformed(location, undefined);
  return (value as string).toLowerCase();
}

/**
 * `POST /admin/refresh_tokens` `{email}` or `{id}` → `{user: {..., refresh_token}, created}`; creates
 * the user when needed.
 */
export const createTokenRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  const { email, id } = req.body;
  if (email === undefined && id === undefined)
    throw validationFailed('body', req.body, ['Please provide an `email` or `id`']);
  const params = {
    ...(email !== undefined ? { email: readEmail(email, ['body', 'email']) } : {}),
    ...(id !== undefined ? { id: readUuid(id, ['body', 'id']) } : {}),
  };
  // Instant checks `extra-fields` only when it creates the user (no `$users` create rule: admin).
  const extraFields = () => checkExtraFields(ctx.storage.registry, req.body['extra-fields']);
  return ctx.users.createToken({ ...params, extraFields });
};

/**
 * `POST /runtime/auth/verify_refresh_token` `{"app-id", "refresh-token"}` → `{user}`; no admin token.
 */
export const verifyTokenRoute: Handler = (req, ctx) => {
  const appId = req.body['app-id'];
  const token = req.body['refresh-token'];
  if (appId === undefined) throw paramMissing(['body', 'app-id']);
  if (token === undefined) throw paramMissing(['body', 'refresh-token']);
  readUuid(appId, ['body', 'app-id']);
  const refreshToken = readUuid(token, ['body', 'refresh-token']);
  const user = String(appId).toLowerCase() === ctx.app.appId ? ctx.users.byToken(refreshToken) : undefined;
  if (!user) throw userNotFound({ 'app-id': String(appId) });
  return { user: { ...user, refresh_token: refreshToken } };
};

function findUser(req: ApiRequest, ctx: ServerContext): User | undefined {
  const email = req.query.get('email');
  const token = req.query.get('refresh_token');
  const id = req.query.get('id');
  if (email !== null) return ctx.users.byEmail(readEmail(email, ['params', 'email']));
  if (token !== null) return ctx.users.byToken(readUuid(token, ['params', 'refresh_token']));
  if (id !== null) return ctx.users.byId(readUuid(id, ['params', 'id']));
  throw validationFailed('params', Object.fromEntries(req.query), [
    'Please provide a user id, email, or refresh_token',
  ]);
}

/** `GET /admin/users?email=|id=|refresh_token=` → `{user | null}`. */
export const getUserRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  return { user: findUser(req, ctx) ?? null };
};

/** `DELETE /admin/users?…` → `{deleted | null}`. */
export const deleteUserRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  const user = findUser(req, ctx);
  return { deleted: user ? (ctx.users.delete(user.id) ?? null) : null };
};

/** `POST /admin/sign_out` `{id}` | `{email}` | `{refresh_token}` → `{ok: true}`. */
export const signOutRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  const { id, email, refresh_token: token } = req.body;
  if (id !== undefined) ctx.users.signOut({ id: readUuid(id, ['body', 'id']) });
  else if (email !== undefined) {
    const user = ctx.users.byEmail(readEmail(email, ['body', 'email']));
    if (!user) throw userNotFound({ 'app-id': readAppId(req), email });
    ctx.users.signOut({ id: user.id });
  } else if (token !== undefined) ctx.users.signOut({ refresh_token: readUuid(token, ['body', 'refresh_token']) });
  else throw validationFailed('body', req.body, ['Please provide an `id`, `email`, or `refresh_token`']);
  return { ok: true };
};

/**
 * `POST /admin/magic_code` `{email}` → `{code}`: a new six-digit code for the email, stored hashed in a
 * `$magicCodes` row (the user need not exist yet; nothing is sent).
 */
export const magicCodeRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  return createMagicCode(ctx.storage, requireEmail(req));
};
