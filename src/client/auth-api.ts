import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue } from '../errors/validation-issue.ts';
import { expectField, isObject, isObjectOrNull } from './expect-shape.ts';
import type { CallOptions, HttpClient } from './http-client.ts';
import type { Secrets } from './secrets.ts';

/** A user as the Admin API returns it. */
export type User = {
  readonly id: string;
  readonly email?: string | null;
  readonly isGuest?: boolean;
  readonly refresh_token?: string;
} & Readonly<Record<string, unknown>>;

/** How to name a user: by email, id or refresh token. */
export type UserLookup = { readonly email: string } | { readonly id: string } | { readonly refresh_token: string };

/**
 * `db.auth`: refresh tokens and users. Every call needs the admin token, as in Instant; tokens seen
 * here are remembered as secrets, so they are redacted from errors.
 *
 * @example
 * const token = await db.auth.createToken('alyssa@example.com');
 */
export class AuthApi {
  readonly #http: HttpClient;
  readonly #headers: () => Record<string, string>;
  readonly #secrets: Secrets;
  readonly #appId: string;

  constructor(http: HttpClient, headers: () => Record<string, string>, secrets: Secrets, appId: string) {
    this.#http = http;
    this.#headers = headers;
    this.#secrets = secrets;
    this.#appId = appId;
  }

  /** Creates (if needed) the user and returns a new refresh token. @example await db.auth.createToken({ email: 'alyssa@example.com' }) */
  async createToken(
    who: string | { readonly email: string } | { readonly id: string },
    options: CallOptions = {},
  ): Promise<string> {
    const json = typeof who === 'string' ? { email: who } : who;
    const body = await this.#http.send({
      method: 'post',
      path: 'admin/refresh_tokens',
      kind: 'write',
      headers: this.#headers(),
      json,
      ...options,
    });
    const user = expectField(body, 'user', 'a user', isObject, 'POST /admin/refresh_tokens');
    const token = expectField(
      user,
      'refresh_token',
      'a string',
      (v): v is string => typeof v === 'string',
      'POST /admin/refresh_tokens',
    );
    this.#secrets.add(token);
    return token;
  }

  /**
   * The user a refresh token belongs to; rejects for an unknown token.
   *
   * @example
   * const token = await db.auth.createToken('alyssa@example.com');
   * const user = await db.auth.verifyToken(token); // { id: '…', email: 'alyssa@example.com', … }
   */
  async verifyToken(token: string, options: CallOptions = {}): Promise<User> {
    this.#secrets.add(token);
    const body = await this.#http.send({
      method: 'post',
      path: 'runtime/auth/verify_refresh_token',
      kind: 'read',
      headers: {},
      json: { 'app-id': this.#appId, 'refresh-token': token },
      ...options,
    });
    return expectField(body, 'user', 'a user', isObject, 'POST /runtime/auth/verify_refresh_token') as User;
  }

  /** A user by email, id or refresh token, or null. @example await db.auth.getUser({ email: 'alyssa@example.com' }) */
  async getUser(lookup: UserLookup, options: CallOptions = {}): Promise<User | null> {
    const body = await this.#http.send({
      method: 'get',
      path: 'admin/users',
      kind: 'read',
      headers: this.#jsonHeaders(),
      searchParams: this.#params(lookup),
      ...options,
    });
    return expectField(body, 'user', 'a user or null', isObjectOrNull, 'GET /admin/users') as User | null;
  }

  /** Deletes a user; resolves with the deleted user, or null. @example await db.auth.deleteUser({ email: 'alyssa@example.com' }) */
  async deleteUser(lookup: UserLookup, options: CallOptions = {}): Promise<User | null> {
    const body = await this.#http.send({
      method: 'delete',
      path: 'admin/users',
      kind: 'write',
      headers: this.#jsonHeaders(),
      searchParams: this.#params(lookup),
      ...options,
    });
    return expectField(body, 'deleted', 'a user or null', isObjectOrNull, 'DELETE /admin/users') as User | null;
  }

  /** Signs a user out everywhere (by email or id) or ends one session (by refresh token). @example await db.auth.signOut('a@b.co') */
  async signOut(who: string | UserLookup, options: CallOptions = {}): Promise<void> {
    const json = typeof who === 'string' ? { email: who } : who;
    await this.#http.send({
      method: 'post',
      path: 'admin/sign_out',
      kind: 'write',
      headers: this.#headers(),
      json,
      ...options,
    });
  }

  /** The official SDK sends a JSON content type even on bodiless GET/DELETE; so do we, to match the wire. */
  #jsonHeaders(): Record<string, string> {
    return { 'content-type': 'application/json', ...this.#headers() };
  }

  #params(lookup: UserLookup): Record<string, string> {
    const entries = Object.entries(lookup ?? {}).filter(
      ([key, value]) => ['email', 'id', 'refresh_token'].includes(key) && typeof value === 'string',
    );
    if (entries.length !== 1)
      throw new InstantValidationError([
        createIssue('invalid-argument', 'auth', 'pass exactly one of {email}, {id} or {refresh_token}'),
      ]);
    if (entries[0]![0] === 'refresh_token') this.#secrets.add(entries[0]![1] as string);
    return Object.fromEntries(entries) as Record<string, string>;
  }
}
