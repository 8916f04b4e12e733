import { isUuid } from '../../protocol/uuid.ts';
import { ApiError, paramMalformed, paramMissing } from '../api/api-error.ts';
import type { ApiRequest } from '../api/api-request.ts';
import { requireAdmin, userNotFound } from '../auth/authenticate.ts';
import { coerceEmail } from '../users/email-address.ts';
import { checkExtraFields } from '../users/extra-fields.ts';
import { consumeMagicCode, createMagicCode, magicCodeEmail } from '../users/magic-codes.ts';
import type { User } from '../users/user-store.ts';
import type { Handler, ServerContext } from './context.ts';

/** Instant's answer when an email's hourly magic-code attempts are used up (`throw-record-email-rate-limited!`). */
const emailRateLimited = () =>
  new ApiError(429, 'rate-limited', 'Too many verification codes requested for this email. Please try again later.');

/** Absent, `null` and `false` are missing to Instant (`get-param!`), anything else must coerce. */
const absent = (value: unknown): boolean => value === undefined || value === null || value === false;

/** `body.email` as Instant reads it: missing → `param-missing`, not an address → `param-malformed`. */
export function requireEmail(req: ApiRequest): string {
  const value = req.body.email;
  if (absent(value)) throw paramMissing(['body', 'email']);
  const email = coerceEmail(value);
  if (email === undefined) throw paramMalformed(['body', 'email'], value);
  return email;
}

/** `body.code`: a string, trimmed (Instant's `safe-trim`). */
function requireCode(req: ApiRequest): string {
  const value = req.body.code;
  if (absent(value)) throw paramMissing(['body', 'code']);
  if (typeof value !== 'string') throw paramMalformed(['body', 'code'], value);
  return value.trim();
}

/**
 * The guest a `refresh-token` names, if the body has one: a token that is no UUID → `param-malformed`,
 * an unknown one → `record-not-found` app-user (neither echoes the token); a token of a user who is
 * not a guest is ignored, as in Instant.
 */
function guestOf(req: ApiRequest, ctx: ServerContext): User | undefined {
  const token = req.body['refresh-token'];
  if (absent(token)) return undefined;
  if (!isUuid(token)) throw paramMalformed(['body', 'refresh-token'], undefined);
  const user = ctx.users.byToken(token as string);
  if (!user) throw userNotFound({ 'app-id': ctx.app.appId });
  return user.type === 'guest' ? user : undefined;
}

/**
 * `POST /admin/send_magic_code` `{email}` → `{code}`: creates a code as `/admin/magic_code` does and
 * "sends" Instant's email with it, which here lands in the server's outbox. At most 20 per email per
 * hour (429 `rate-limited`), as Instant.
 */
export const sendMagicCodeRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  const email = requireEmail(req);
  if (!ctx.emailLimits.tryConsume('send', email)) throw emailRateLimited();
  const { code } = createMagicCode(ctx.storage, email);
  ctx.outbox.deliver(magicCodeEmail(email, code, new Date(ctx.storage.now())));
  return { code };
};

/**
 * `POST /admin/verify_magic_code` `{email, code, extra-fields?, refresh-token?}` → `{user: {…,
 * refresh_token}, created}`, as Instant's `magic-code-auth/verify!` with the admin's rights: counts an
 * attempt (20 per email per hour); for a new user checks `extra-fields` before the code is used (so a
 * bad field does not burn it); uses up the code (`record-not-found` for a wrong or used one,
 * `record-expired` past 24 hours); creates the user (type `user`, with the extra fields; a guest named
 * by `refresh-token` becomes that user, keeping its id) or, when the email's user exists, links the
 * guest to it; and mints a refresh token. Any error rolls the whole request back.
 */
export const verifyMagicCodeRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  const email = requireEmail(req);
  const code = requireCode(req);
  const guest = guestOf(req, ctx);
  if (!ctx.emailLimits.tryConsume('verify', email)) throw emailRateLimited();
  const existing = ctx.users.byEmail(email);
  const extraFields = existing ? {} : checkExtraFields(ctx.storage.registry, req.body['extra-fields']);
  consumeMagicCode(ctx.storage, ctx.app.appId, email, code);
  const user = existing ?? ctx.users.create({ ...(guest ? { id: guest.id } : {}), email, type: 'user', extraFields });
  if (guest && guest.id !== user.id) ctx.users.linkGuest(guest.id, user.id);
  return { user: { ...user, refresh_token: ctx.users.newToken(user.id) }, created: !existing };
};

/**
 * `POST /admin/sign_in_guest` `{extra-fields?}` → `{user: {…, type: "guest", isGuest: true,
 * refresh_token}}`: a new guest user and a refresh token for it.
 */
export const signInGuestRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  const extraFields = checkExtraFields(ctx.storage.registry, req.body['extra-fields']);
  const user = ctx.users.create({ type: 'guest', extraFields });
  return { user: { ...user, refresh_token: ctx.users.newToken(user.id) } };
};
