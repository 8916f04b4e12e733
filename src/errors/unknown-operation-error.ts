import { InstantError } from './instant-error.ts';

/**
 * Thrown when a chunk is asked for an operation it does not have, e.g. a misspelled `.updaet(...)`,
 * instead of silently returning `undefined`.
 *
 * @example
 * try {
 *   // @ts-expect-error -- TypeScript reports the typo; plain JavaScript gets the error when it runs
 *   tx.goals[goalId].updaet({ title: 'Get fit' });
 * } catch (e) {
 *   if (e instanceof UnknownOperationError) console.log(e.message); // "unknown operation 'updaet'; expected one of update, …"
 * }
 */
export class UnknownOperationError extends InstantError {
  override name = 'UnknownOperationError';
  readonly operation: string;
  readonly expected: readonly string[];

  constructor(operation: string, expected: readonly string[]) {
    super(`unknown operation '${operation}'; expected one of ${expected.join(', ')}`);
    this.operation = operation;
    this.expected = expected;
  }
}
