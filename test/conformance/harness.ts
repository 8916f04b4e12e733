/**
 * The conformance suite's harness: Instant's own server tests (instantdb/instant,
 * `server/test/instant/`), ported as HTTP-level cases against the local server.
 *
 * Conventions for every file in this folder:
 * - one `describe` per Instant `deftest`, named `<file>.clj › <deftest name>`, so a failure points at
 *   the Instant test it came from;
 * - each case asserts what Instant's test asserts (result, status, error `type`, `message`, `hint`);
 *   where Instant's behaviour is read from its source rather than a test, the case says so;
 * - cases use this file's `describe` and `it`. A case on which the local server still differs from
 *   Instant has a `// differs:` comment saying what we do instead, and its full name is listed in
 *   `known-differences.json`; such a case runs as `it.fails`, so it passes while we differ and turns red
 *   the day the server is fixed (then `npm run conformance:record` rewrites the list, which only ever
 *   shrinks as the server improves). The list's length is the number of known differences.
 */
import { readFileSync } from 'node:fs';
import { describe as vitestDescribe, it as vitestIt, type TestFunction } from 'vitest';
import { type Answer, fetchAnswer } from '../support/fetch-answer.ts';
import { startLocalServer, type LocalServer, type LocalServerOptions } from '../../src/server/index.ts';
export type { Answer } from '../support/fetch-answer.ts';
import { attrs as zenecaAttrs, zenecaSteps } from '../server/zeneca.ts';

/** Who makes a request: the admin, a guest, or a user by email or refresh token. */
export type Caller = 'admin' | { readonly guest: true } | { readonly email: string } | { readonly token: string };

/** One running app on a fresh in-memory local server. */
export interface App {
  readonly server: LocalServer;
  /** Any route, as the admin unless `as` says otherwise. */
  call(method: string, path: string, body?: unknown, as?: Caller): Promise<Answer>;
  transact(steps: readonly unknown[], as?: Caller, extra?: Record<string, unknown>): Promise<Answer>;
  query(query: unknown, as?: Caller, extra?: Record<string, unknown>): Promise<Answer>;
  /** `transact`, failing the test unless it answers 200. */
  mustTransact(steps: readonly unknown[], as?: Caller): Promise<Answer>;
  /** `query` as the admin, failing unless 200; returns the body's data. */
  mustQuery(query: unknown, as?: Caller): Promise<any>;
  /** Mints a refresh token for `email` (creating the user) and returns `{ id, token }`. */
  signIn(email: string): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

/** Starts a fresh app. Close it with `app.close()` (or use {@link withApp}). */
export async function startApp(options: LocalServerOptions = {}): Promise<App> {
  const server = await startLocalServer(options);
  const call = (method: string, path: string, body?: unknown, as: Caller = 'admin'): Promise<Answer> =>
    fetchAnswer(
      `${server.url}${path}`,
      method,
      { 'content-type': 'application/json', 'app-id': server.appId, ...callerHeaders(as, server.adminToken) },
      body,
    );
  const transact = (steps: readonly unknown[], as?: Caller, extra: Record<string, unknown> = {}) =>
    call('POST', '/admin/transact', { steps, ...extra }, as);
  const query = (q: unknown, as?: Caller, extra: Record<string, unknown> = {}) =>
    call('POST', '/admin/query', { query: q, ...extra }, as);
  return {
    server,
    call,
    transact,
    query,
    async mustTransact(steps, as) {
      const answer = await transact(steps, as);
      if (answer.status !== 200) throw new Error(`transact answered ${answer.status}: ${answer.text.slice(0, 500)}`);
      return answer;
    },
    async mustQuery(q, as) {
      const answer = await query(q, as);
      if (answer.status !== 200) throw new Error(`query answered ${answer.status}: ${answer.text.slice(0, 500)}`);
      return answer.body;
    },
    async signIn(email) {
      const answer = await call('POST', '/admin/refresh_tokens', { email });
      if (answer.status !== 200) throw new Error(`refresh_tokens answered ${answer.status}: ${answer.text}`);
      return { id: answer.body.user.id, token: answer.body.user.refresh_token };
    },
    close: () => server.close(),
  };
}

/** Runs `body` against a fresh app and always closes it. */
export async function withApp<T>(options: LocalServerOptions, body: (app: App) => Promise<T>): Promise<T> {
  const app = await startApp(options);
  try {
    return await body(app);
  } finally {
    await app.close();
  }
}

function callerHeaders(as: Caller, adminToken: string): Record<string, string> {
  if (as === 'admin') return { authorization: `Bearer ${adminToken}` };
  if ('guest' in as) return { 'as-guest': 'true' };
  if ('email' in as) return { authorization: `Bearer ${adminToken}`, 'as-email': as.email };
  return { 'as-token': as.token };
}

/** Loads Instant's zeneca test data set (users, bookshelves, books) into `app`, as its tests do. */
export async function loadZeneca(app: App): Promise<void> {
  const steps = zenecaSteps();
  for (let start = 0; start < steps.length; start += 1000) await app.mustTransact(steps.slice(start, start + 1000));
}

/** The zeneca attribute id of `ns.label`, for tests that address attributes by id. */
export function zenecaAttrId(ns: string, label: string): string {
  const attr = zenecaAttrs.find((a) => a['forward-identity'][1] === ns && a['forward-identity'][2] === label);
  if (!attr) throw new Error(`zeneca has no attribute ${ns}.${label}`);
  return attr.id;
}

export const uuid = (): string => crypto.randomUUID();

/** Full names (`describe > … > it`) of the cases on which the server differs from Instant today. */
const KNOWN_DIFFERENCES: ReadonlySet<string> = new Set(
  JSON.parse(readFileSync(new URL('known-differences.json', import.meta.url), 'utf8')) as string[],
);
/** While recording, every case runs as a plain test, so the recorder sees which ones fail. */
const RECORDING = process.env.CONFORMANCE_RECORD === '1';
const groups: string[] = [];

/** vitest's `describe`, remembering the group's name so {@link it} can look its cases up. */
export function describe(name: string, body: () => void): void {
  vitestDescribe(name, () => {
    groups.push(name);
    try {
      body();
    } finally {
      groups.pop();
    }
  });
}

/** vitest's `it`, or `it.fails` for a case listed in `known-differences.json`. */
export function it(name: string, fn: TestFunction, timeout?: number): void {
  const differs = !RECORDING && KNOWN_DIFFERENCES.has(fullName(name));
  (differs ? vitestIt.fails : vitestIt)(name, fn, timeout);
}

/** A case's full name, as the recorder writes it: its groups and its own name joined by ` > `. */
export function fullName(name: string): string {
  return [...groups, name].join(' > ');
}
