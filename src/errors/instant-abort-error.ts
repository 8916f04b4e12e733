import { InstantError } from './instant-error.ts';

/**
 * The caller's `signal` aborted the request.
 *
 * @example
 * catch (e) { if (e instanceof InstantAbortError) return }
 */
export class InstantAbortError extends InstantError {
  override name = 'InstantAbortError';

  constructor(method: string, path: string, options?: ErrorOptions) {
    super(`${method} ${path} was aborted`, options);
  }
}
