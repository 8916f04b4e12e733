import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue } from '../errors/validation-issue.ts';
import { expectField, isObject, isObjectOrNull } from './expect-shape.ts';
import type { CallOptions, HttpClient } from './http-client.ts';
import { cookieUser, type RequestHeaders } from './request-cookie.ts';
import type { Secrets } from './secrets.ts';
import {
  type CheckMagicCodeOptions,
  fieldsIssue,
  type SignInAsGuestOptions,
  stringIssue,
  type User,
  type UserLookup,
} from './auth-types.ts';

export type { CheckMagicCodeOptions, ExtraFieldsFor, SignInAsGuestOptions, User, UserLookup } from './auth-types.ts';

/**
 * `db.auth`: refresh tokens and users. Every call needs the admin token, as in Instant; tokens seen
 * here are remembered as secrets, so they are redacted from errors.
 *
 * @example
 * const token = await db.auth.createToken('alyssa@example.com');
 */
export class AuthApi<Schema = undefined> {
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

  /**
   * A new six-digit magic code for an email, to send with your own email provider (the user need not
   * exist; nothing is sent). The code works once, for 24 hours.
   *
   * @example
   * const { code } = await db.auth.generateMagicCode('alyssa@example.com');
   */
  async generateMagicCode(
    email: string | { readonly email: string },
    options: CallOptions = {},
  ): Promise<{ code: string }> {
    return this.#magicCode('admin/magic_code', email, options);
  }

  /**
   * Sends a magic code to an email with Instant's email (the local server puts it in its outbox) and
   * resolves with the code too, as Instant does.
   *
   * @example
   * await db.auth.sendMagicCode('alyssa@example.com');
   */
  async sendMagicCode(
    email: string | { readonly email: string },
    options: CallOptions = {},
  ): Promise<{ code: string }> {
    return this.#magicCode('admin/send_magic_code', email, options);
  }

  /**
   * Checks a magic code and signs the user in: resolves with the user (created when new) and whether
   * it was created. A wrong or used code rejects with `record-not-found`, an expired one with
   * `record-expired` (both `InstantAPIError`). The user's new `refresh_token` is redacted from errors.
   *
   * @example
   * const { user, created } = await db.auth.checkMagicCode('alyssa@example.com', '123456');
   */
  async checkMagicCode(
    email: string,
    code: string,
    options: CheckMagicCodeOptions<Schema> = {},
  ): Promise<{ user: User & { readonly refresh_token: string }; created: boolean }> {
    const { extraFields, refreshToken, ...call } = options;
    const issues = [
      ...stringIssue(email, 'email'),
      ...stringIssue(code, 'code'),
      ...(refreshToken === undefined ? [] : stringIssue(refreshToken, 'refreshToken')),
      ...fieldsIssue(extraFields),
    ];
    if (issues.length > 0) throw new InstantValidationError(issues, 'checkMagicCode arguments');
    if (refreshToken !== undefined) this.#secrets.add(refreshToken);
    const body = await this.#http.send({
      method: 'post',
      path: 'admin/verify_magic_code',
      kind: 'write',
      headers: this.#headers(),
      json: {
        email,
        code,
        ...(extraFields ? { 'extra-fields': extraFields } : {}),
        ...(refreshToken !== undefined ? { 'refresh-token': refreshToken } : {}),
      },
      ...call,
    });
    const user = this.#signedIn(body, 'POST /admin/verify_magic_code');
    return { user, created: (body as { created?: unknown }).created === true };
  }

  /**
   * Checks a magic code and resolves with the signed-in user (see {@link AuthApi.checkMagicCode}, which
   * also says whether the user was created, and takes extra fields).
   *
   * @example
   * const user = await db.auth.verifyMagicCode('alyssa@example.com', '123456');
   */
  async verifyMagicCode(
    email: string,
    code: string,
    options: CallOptions = {},
  ): Promise<User & { readonly refresh_token: string }> {
    return (await this.checkMagicCode(email, code, options)).user;
  }

  /**
   * Creates a guest user (`type: "guest"`) and resolves with it and its refresh token, like the
   * client SDK's `signInAsGuest`, through the admin API (`POST /admin/sign_in_guest`).
   *
   * @example
   * const { user } = await db.auth.signInAsGuest();
   * await db.asUser({ token: user.refresh_token }).query({ goals: {} });
   */
  async signInAsGuest(
    options: SignInAsGuestOptions<Schema> = {},
  ): Promise<{ user: User & { readonly refresh_token: string } }> {
    const { extraFields, ...call } = options;
    const issues = fieldsIssue(extraFields);
    if (issues.length > 0) throw new InstantValidationError(issues, 'signInAsGuest options');
    const body = await this.#http.send({
      method: 'post',
      path: 'admin/sign_in_guest',
      kind: 'write',
      headers: this.#headers(),
      json: extraFields ? { 'extra-fields': extraFields } : {},
      ...call,
    });
    return { user: this.#signedIn(body, 'POST /admin/sign_in_guest') };
  }

  /**
   * The user signed in on a web request, from Instant's `instant_user_<appId>` cookie (which
   * `createInstantRouteHandler` keeps in sync): null without the cookie, or when it holds no refresh
   * token (or is not JSON); else the token is verified with the server ({@link AuthApi.verifyToken},
   * which rejects for a token it does not know) unless `disableValidation`. Takes a fetch `Request` or
   * Node's `IncomingMessage`.
   *
   * @example
   * const user = await db.auth.getUserFromRequest(new Request('https://app.example.com/')); // null: no cookie
   */
  async getUserFromRequest(
    req: { readonly headers: RequestHeaders },
    options: CallOptions & { readonly disableValidation?: boolean } = {},
  ): Promise<User | null> {
    const { disableValidation, ...call } = options;
    const user = cookieUser(req?.headers ?? {}, this.#appId);
    if (!user) return null;
    this.#secrets.add(user.refresh_token);
    return disableValidation ? user : this.verifyToken(user.refresh_token, call);
  }

  async #magicCode(
    path: string,
    who: string | { readonly email: string },
    options: CallOptions,
  ): Promise<{ code: string }> {
    const email = typeof who === 'string' ? who : who?.email;
    const issues = stringIssue(email, 'email');
    if (issues.length > 0) throw new InstantValidationError(issues, 'magic code arguments');
    const body = await this.#http.send({
      method: 'post',
      path,
      kind: 'write',
      headers: this.#headers(),
      json: { email },
      ...options,
    });
    const code = expectField(body, 'code', 'a string', (v): v is string => typeof v === 'string', `POST /${path}`);
    return { code };
  }

  /** The `user` of a sign-in answer; its refresh token becomes a secret (redacted from errors). */
  #signedIn(body: unknown, site: string): User & { readonly refresh_token: string } {
    const user = expectField(body, 'user', 'a user', isObject, site);
    const token = expectField(user, 'refresh_token', 'a string', (v): v is string => typeof v === 'string', site);
    this.#secrets.add(token);
    return user as User & { readonly refresh_token: string };
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
