import { HTTPError, type RetryOptions } from 'ky';
import type { RetryConfig } from './client-config.ts';

/** What kind of call a request is, which decides whether it may be retried. */
export type CallKind = 'read' | 'transact' | 'write';

const READ_STATUSES = [408, 429, 500, 502, 503, 504];

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

async function errorType(error: HTTPError): Promise<string | undefined> {
  try {
    return ((await error.response.clone().json()) as { type?: string }).type;
  } catch {
    return undefined;
  }
}

/**
 * ky retry options for a kind of call. Reads retry on 408/429/5xx and network errors. Writes (transact
 * by default) retry only where no commit can have happened: a 429 `rate-limited` (not a 429 `timeout`,
 * which may have done the work) and a connection that was never made. `retry.transact: 'idempotent'`
 * lets transact retry like a read. Delays back off exponentially with full jitter and honour
 * `Retry-After` (which the client derives from Instant's body hint when the header is missing).
 */
export function retryOptions(kind: CallKind, config: RetryConfig): RetryOptions {
  const asRead = kind === 'read' || (kind === 'transact' && config.transact === 'idempotent');
  const never = kind === 'transact' && config.transact === 'never';
  return {
    limit: never ? 0 : config.limit,
    methods: ['get', 'post', 'delete', 'put'],
    statusCodes: READ_STATUSES,
    afterStatusCodes: [429, 503],
    maxRetryAfter: config.maxRetryAfter,
    backoffLimit: 10_000,
    jitter: true,
    retryOnTimeout: asRead,
    shouldRetry: async ({ error }) => {
      if (error instanceof HTTPError) {
        if (asRead) return undefined;
        return error.response.status === 429 && (await errorType(error)) === 'rate-limited' ? undefined : false;
      }
      if (asRead) return undefined;
      return NOT_SENT.has(networkCode(error) ?? '') ? undefined : false;
    },
  };
}
