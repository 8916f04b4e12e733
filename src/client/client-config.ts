import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import { isUuid } from '../protocol/uuid.ts';
import { checkWholeNumber } from './number-options.ts';

/** How `transact` may be retried: see the README's "Retries" section. */
export type TransactRetry = 'safe' | 'idempotent' | 'never';

/** Retry settings: attempts after the first, the longest total time, and the transact policy. */
export interface RetryConfig {
  readonly limit: number;
  readonly totalTimeout: number;
  readonly maxRetryAfter: number;
  readonly transact: TransactRetry;
}

/** What `init` accepts. Missing `appId`, `adminToken`, `apiURI` are read from `INSTANT_APP_ID`, … */
export interface InitOptions<Schema = undefined> {
  readonly appId?: string;
  readonly adminToken?: string;
  readonly apiURI?: string;
  readonly schema?: Schema;
  /** Per-attempt timeout in ms (default 30,000). */
  readonly timeout?: number;
  readonly retry?: Partial<RetryConfig> | false;
  readonly fetch?: typeof globalThis.fetch;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A checked, complete configuration. */
export interface ClientConfig {
  readonly appId: string;
  readonly adminToken: string | undefined;
  readonly apiURI: string;
  readonly timeout: number;
  readonly retry: RetryConfig;
  readonly fetch: typeof globalThis.fetch | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Where `init` connects unless `apiURI` or `INSTANT_API_URI` says otherwise: Instant Cloud.
 *
 * @example
 * const db = init({ schema, apiURI: process.env.STAGING_API_URI ?? DEFAULT_API_URI });
 */
export const DEFAULT_API_URI = 'https://api.instantdb.com';
const DEFAULT_RETRY: RetryConfig = { limit: 3, totalTimeout: 60_000, maxRetryAfter: 30_000, transact: 'safe' };
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;
const warned = new Set<string>();

/**
 * Fills in `init` options from the environment and defaults, and checks them: the app id and admin
 * token must be UUIDs, `apiURI` an http(s) URL, header values sendable. Problems are reported together.
 */
export function resolveConfig(options: InitOptions<unknown>, env: Record<string, string | undefined>): ClientConfig {
  const issues: ValidationIssue[] = [];
  // An empty variable (`INSTANT_ADMIN_TOKEN=`) counts as unset, as shells commonly use it.
  const appId = options.appId ?? (env.INSTANT_APP_ID || undefined);
  const adminToken = options.adminToken ?? (env.INSTANT_ADMIN_TOKEN || undefined);
  const apiURI = (options.apiURI ?? (env.INSTANT_API_URI || DEFAULT_API_URI)).replace(/\/+$/, '');
  if (!isUuid(appId))
    issues.push(
      createIssue(
        'invalid-argument',
        'init.appId',
        appId ? 'expected a UUID' : 'missing: pass appId or set INSTANT_APP_ID',
      ),
    );
  if (adminToken !== undefined && !isUuid(adminToken))
    issues.push(createIssue('invalid-argument', 'init.adminToken', 'expected a UUID (the value is not shown)'));
  const url = parseUrl(apiURI);
  if (!url)
    issues.push(
      createIssue('invalid-argument', 'init.apiURI', `expected an http(s) URL, got ${JSON.stringify(apiURI)}`),
    );
  const headers = options.headers ?? {};
  for (const [name, value] of Object.entries(headers))
    checkHeader(name, value, `init.headers[${JSON.stringify(name)}]`, issues);
  checkWholeNumber(options.timeout, 'init.timeout', issues, 1);
  const retry: unknown = options.retry;
  if (retry !== undefined && retry !== false && (typeof retry !== 'object' || retry === null || Array.isArray(retry)))
    issues.push(
      createIssue('invalid-argument', 'init.retry', 'expected false or {limit, totalTimeout, maxRetryAfter, transact}'),
    );
  else if (options.retry) {
    checkWholeNumber(options.retry.limit, 'init.retry.limit', issues, 0, 100);
    checkWholeNumber(options.retry.totalTimeout, 'init.retry.totalTimeout', issues, 1);
    checkWholeNumber(options.retry.maxRetryAfter, 'init.retry.maxRetryAfter', issues, 0);
    const transact = options.retry.transact;
    if (transact !== undefined && !['safe', 'idempotent', 'never'].includes(transact))
      issues.push(createIssue('invalid-argument', 'init.retry.transact', "expected 'safe', 'idempotent' or 'never'"));
  }
  if (issues.length > 0) throw new InstantValidationError(issues, 'init options');
  if (url?.protocol === 'http:' && !LOOPBACK.test(url.hostname) && !warned.has(url.host)) {
    warned.add(url.host);
    console.warn(
      `instant-tx: apiURI ${url.origin} is plain http to a non-loopback host; the admin token would travel unencrypted.`,
    );
  }
  return {
    appId: appId!.toLowerCase(),
    adminToken,
    apiURI,
    timeout: options.timeout ?? 30_000,
    retry: options.retry === false ? { ...DEFAULT_RETRY, limit: 0 } : { ...DEFAULT_RETRY, ...options.retry },
    fetch: options.fetch,
    headers,
  };
}

function parseUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records an issue for a header HTTP cannot carry: CR/LF (header injection) or non-ASCII characters.
 */
export function checkHeader(name: string, value: string, path: string, issues: ValidationIssue[]): void {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
    issues.push(createIssue('invalid-argument', path, 'not a valid header name'));
  if (/[\r\n]/.test(value))
    issues.push(createIssue('invalid-argument', path, 'contains a line break, which HTTP headers cannot carry'));
  else if (!/^[\x20-\x7e\t]*$/.test(value))
    issues.push(
      createIssue(
        'invalid-argument',
        path,
        'contains non-ASCII or control characters, which HTTP headers cannot carry',
      ),
    );
}
