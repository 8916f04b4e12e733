/** Machine-readable kind of a {@link ValidationIssue}. */
export type ValidationIssueCode =
  | 'invalid-value'
  | 'invalid-id'
  | 'invalid-name'
  | 'invalid-argument'
  | 'unknown-namespace'
  | 'unknown-attribute'
  | 'unknown-link'
  | 'unknown-option'
  | 'unknown-operator'
  | 'wrong-type'
  | 'not-unique'
  | 'missing-required';

/**
 * One problem found while validating a transaction: where it is and what is wrong.
 * `path` reads like the code that produced it: `goals[<id>].update.metrics.score`.
 */
export interface ValidationIssue {
  readonly code: ValidationIssueCode;
  readonly path: string;
  readonly message: string;
}

/**
 * Makes a frozen {@link ValidationIssue}.
 *
 * @example
 * createIssue('invalid-value', 'goals[1].update.score', 'NaN is not JSON') // frozen { code, path, message }
 */
export function createIssue(code: ValidationIssueCode, path: string, message: string): ValidationIssue {
  return Object.freeze({ code, path, message });
}
