import { InstantError } from './instant-error.ts';

/**
 * The caller's `signal` aborted the request.
 *
 * @example
 * const controller = new AbortController();
 * setTimeout(() => controller.abort(), 1000);
 * try { await db.query({ goals: {} }, { signal: controller.signal }) }
 * catch (e) { if (e instanceof InstantAbortError) console.log('cancelled'); else throw e }
 */
export class InstantAbortError extends InstantError {
  override name = 'InstantAbortError';

  constructor(method: string, path: string, options?: ErrorOptions) {
    super(`${method} ${path} was aborted`, options);
  }
}
