import { InstantError } from './instant-error.ts';

/**
 * Thrown when a chunk is asked for an operation it does not have, e.g. a misspelled `.updaet(...)`,
 * instead of silently returning `undefined`.
 *
 * @example
 * try { (tx.goals[id] as any).updaet({}) } catch (e) { console.log((e as UnknownOperationError).operation) }
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
