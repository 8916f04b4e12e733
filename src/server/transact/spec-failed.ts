import { ApiError } from '../api/api-error.ts';

/** Where Instant's spec check found a problem: what it expected, and the path to the value. */
export interface SpecIssue {
  readonly expected: string;
  readonly in: readonly (number | string)[];
}

/**
 * Instant's answer to input its spec rejects: 400 `validation-failed` with the bare message
 * `Validation failed for <dataType>` and `errors: [{expected, in}]` (no sentence: spec errors have none).
 */
export function specFailed(dataType: string, input: unknown, issue: SpecIssue): ApiError {
  return new ApiError(400, 'validation-failed', `Validation failed for ${dataType}`, {
    'data-type': dataType,
    input,
    errors: [{ expected: issue.expected, in: issue.in }],
  });
}
