import { InstantError } from './instant-error.ts';

/**
 * The request could not complete at the network level: DNS failure, connection refused or reset,
 * TLS error. `code` is the system error code when known (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`, …);
 * `cause` holds the original error.
 *
 * @example
 * try { await db.query({ goals: {} }) }
 * catch (e) { if (e instanceof InstantNetworkError && e.code === 'ECONNREFUSED') console.error('is the server up?', e.cause) }
 */
export class InstantNetworkError extends InstantError {
  override name = 'InstantNetworkError';
  readonly code: string | undefined;

  constructor(method: string, path: string, code: string | undefined, options?: ErrorOptions) {
    super(`${method} ${path} failed before a response arrived${code ? ` (${code})` : ''}`, options);
    this.code = code;
  }
}
