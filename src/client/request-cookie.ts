import type { User } from './auth-types.ts';
import { cookieValue } from '../protocol/cookie-header.ts';
import { isObject } from './expect-shape.ts';

/** The headers of a request as `getUserFromRequest` accepts them: a fetch `Request`'s, or Node's `req.headers`. */
export type RequestHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The `cookie` header's text ('' when absent), from either kind of headers. */
function cookieHeader(headers: RequestHeaders): string {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(name: string): string | null }).get('cookie') ?? '';
  const value = (headers as Readonly<Record<string, string | readonly string[] | undefined>>).cookie;
  return Array.isArray(value) ? value.join('; ') : typeof value === 'string' ? value : '';
}

/**
 * The value of the cookie `name` in a request's headers (see {@link cookieValue}); undefined when absent.
 *
 * @example
 * readCookie({ cookie: 'a=1; instant_user_x=%7B%7D' }, 'instant_user_x') // '{}'
 */
export function readCookie(headers: RequestHeaders, name: string): string | undefined {
  return cookieValue(cookieHeader(headers), name);
}

/**
 * The user in Instant's `instant_user_<appId>` cookie (JSON of the signed-in user, as
 * `createInstantRouteHandler` writes it) when it has a refresh token; undefined when the cookie is
 * absent, not JSON, or has no token.
 *
 * @example
 * cookieUser({ cookie: 'instant_user_a1=%7B%22refresh_token%22%3A%22t%22%7D' }, 'a1') // { refresh_token: 't' }
 */
export function cookieUser(
  headers: RequestHeaders,
  appId: string,
): (User & { readonly refresh_token: string }) | undefined {
  const value = readCookie(headers, `instant_user_${appId}`);
  if (!value) return undefined;
  let user: unknown;
  try {
    user = JSON.parse(value);
  } catch {
    return undefined;
  }
  const token = isObject(user) ? user.refresh_token : undefined;
  return typeof token === 'string' && token !== '' ? (user as User & { readonly refresh_token: string }) : undefined;
}
