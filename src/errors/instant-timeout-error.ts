import { InstantError } from './instant-error.ts';

/**
 * A request (or, with retries, all its attempts together) took longer than allowed. For `transact`,
 * the server may still have committed: see `retry.transact` in the README before replaying it.
 *
 * @example
 * try { await db.query({ goals: {} }) }
 * catch (e) { if (e instanceof InstantTimeoutError) console.log(`gave up after ${e.timeoutMs} ms`) }
 */
export class InstantTimeoutError extends InstantError {
  override name = 'InstantTimeoutError';
  readonly timeoutMs: number;

  constructor(method: string, path: string, timeoutMs: number, options?: ErrorOptions) {
    super(`${method} ${path} timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}
