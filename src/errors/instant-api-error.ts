import { InstantError } from './instant-error.ts';

/** The parts of a failed HTTP exchange an {@link InstantAPIError} reports. */
export interface ApiErrorDetails {
  readonly status: number;
  readonly type: string;
  readonly message: string;
  readonly hint: unknown;
  readonly traceId: string | undefined;
  readonly body: unknown;
  readonly method: string;
  readonly path: string;
}

/**
 * The server answered with an error status. `type` is Instant's error type (`validation-failed`,
 * `permission-denied`, `rate-limited`, …), or `non-json-response` when the body was not JSON (a proxy's
 * HTML page, say). Secrets in the body are redacted before it gets here.
 *
 * @example
 * try { await db.asUser({ guest: true }).transact(db.tx.goals[goalId].update({ title: 'Get fit' })) }
 * catch (e) { if (e instanceof InstantAPIError && e.type === 'permission-denied') console.error(e.status, e.message, e.hint) }
 */
export class InstantAPIError extends InstantError {
  override name = 'InstantAPIError';
  readonly status: number;
  readonly type: string;
  readonly hint: unknown;
  readonly traceId: string | undefined;
  readonly body: unknown;

  constructor(details: ApiErrorDetails) {
    super(`${details.method} ${details.path} failed with ${details.status} ${details.type}: ${details.message}`);
    this.status = details.status;
    this.type = details.type;
    this.hint = details.hint;
    this.traceId = details.traceId;
    this.body = details.body;
  }
}
