import { HTTPError, TimeoutError, type RetryOptions } from 'ky';
import type { RetryConfig } from './client-config.ts';
import { bodyText } from './response-body.ts';

/** What kind of call a request is, which decides whether it may be retried. */
export type CallKind = 'read' | 'transact' | 'write';

const READ_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** Statuses whose `Retry-After` (or Instant's `hint['retry-after']`) sets the wait, as ky does. */
const AFTER_STATUSES = new Set([429, 503]);
const RETRY_AFTER_HEADERS = [
  'retry-after',
  'ratelimit-reset',
  'x-ratelimit-retry-after',
  'x-ratelimit-reset',
  'x-rate-limit-reset',
];
const BACKOFF_LIMIT = 10_000;

/** Codes of network errors that happen before the request is sent: replaying cannot duplicate anything. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The system error code of a failed fetch (undici puts it on `cause`), if any.
 *
 * @example
 * try { await fetch('http://localhost:59999/') } catch (error) { networkCode(error) } // 'ECONNREFUSED': nothing listens
 */
export function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

async function errorBody(
  error: HTTPError,
): Promise<{ type?: unknown; hint?: { 'retry-after'?: unknown } } | undefined> {
  try {
    return JSON.parse(await bodyText(error.response)) as { type?: unknown; hint?: { 'retry-after'?: unknown } };
  } catch {
    return undefined;
  }
}

/** The retry decision and wait of one kind of call, with ky's share of retrying. */
export interface RetryPolicy {
  /**
   * ky's retry options for this kind of call, with everything that decides and times a retry moved
   * into `shouldRetry`, which the client gives per call. ky still counts attempts against `limit`.
   */
  readonly kyOptions: Omit<RetryOptions, 'shouldRetry'>;
  /** Whether a failed attempt may be retried, before any wait. */
  mayRetry(error: unknown): Promise<boolean>;
  /** How long to wait before retry number `retryCount` (1 for the first retry). */
  waitBefore(error: unknown, retryCount: number): Promise<number>;
}

/**
 * The retry policy of a kind of call. Reads retry on 408/429/5xx, per-attempt timeouts and network
 * errors. Writes (transact by default) retry only where no commit can have happened: a 429
 * `rate-limited` (not a 429 `timeout`, which may have done the work) and a connection that was never
 * made. `retry.transact: 'idempotent'` lets transact retry like a read. Waits back off exponentially with
 * full jitter up to 10 s, or follow `Retry-After` on a 429/503 (or Instant's `hint['retry-after']` in a
 * 429 body), capped by `maxRetryAfter`.
 *
 * @example
 * const policy = retryPolicy('transact', { limit: 3, totalTimeout: 60_000, maxRetryAfter: 30_000, transact: 'safe' });
 */
export function retryPolicy(kind: CallKind, config: RetryConfig): RetryPolicy {
  const asRead = kind === 'read' || (kind === 'transact' && config.transact === 'idempotent');
  const never = kind === 'transact' && config.transact === 'never';
  return {
    kyOptions: {
      limit: never ? 0 : config.limit,
      methods: ['get', 'post', 'delete'],
      // The wait is spent in shouldRetry (where the call's deadline and signal are known); ky adds none.
      delay: () => 0,
      backoffLimit: 0,
    },
    async mayRetry(error) {
      if (error instanceof HTTPError) {
        const { status } = error.response;
        if (!READ_STATUSES.has(status)) return false;
        return asRead || (status === 429 && (await errorBody(error))?.type === 'rate-limited');
      }
      if (error instanceof TimeoutError) return asRead;
      const name = (error as { name?: unknown } | null)?.name;
      // The call's total time ran out, or the caller aborted: never retried.
      if (name === 'TimeoutError' || name === 'AbortError') return false;
      return asRead || NOT_SENT.has(networkCode(error) ?? '');
    },
    async waitBefore(error, retryCount) {
      if (error instanceof HTTPError && AFTER_STATUSES.has(error.response.status)) {
        const after = await retryAfter(error);
        if (after !== undefined) return Math.min(after, config.maxRetryAfter);
      }
      return Math.min(BACKOFF_LIMIT, Math.random() * 300 * 2 ** (retryCount - 1));
    },
  };
}

/** The server's requested wait in ms, from the headers ky honours or Instant's 429 body hint. */
async function retryAfter(error: HTTPError): Promise<number | undefined> {
  const { headers, status } = error.response;
  let value: unknown;
  for (const name of RETRY_AFTER_HEADERS) {
    value = headers.get(name);
    if (value !== null) break;
  }
  if (value === null && status === 429) value = (await errorBody(error))?.hint?.['retry-after'];
  if (value === null || value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isNaN(seconds)) {
    const date = Date.parse(String(value));
    return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
  }
  const ms = seconds * 1000;
  // A large number is a timestamp (as ky reads it), not a number of seconds.
  return Math.max(0, ms >= Date.parse('2024-01-01') ? ms - Date.now() : ms);
}
