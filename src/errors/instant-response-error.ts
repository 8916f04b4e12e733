import { InstantError } from './instant-error.ts';

/**
 * The server answered 200 but not with what the API promises (not JSON, or the wrong shape);
 * `received` describes what came back.
 *
 * @example
 * try { await db.transact(db.tx.goals[goalId].delete()) }
 * catch (e) { if (e instanceof InstantResponseError) console.log(e.received) } // e.g. 'an object with keys error'
 */
export class InstantResponseError extends InstantError {
  override name = 'InstantResponseError';
  readonly received: string;

  constructor(method: string, path: string, expected: string, received: string) {
    super(`${method} ${path} answered with an unexpected response: expected ${expected}, got ${received}`);
    this.received = received;
  }
}
