import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';

/** The longest delay a Node timer takes (2^31 - 1 ms, ~24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Checks a count or a duration in ms an option names: a whole number from `min` to `max`. `NaN`, a
 * fraction, `Infinity` or a negative would otherwise reach a timer (Node fires it at once and warns) or
 * ky (which throws a bare `RangeError`).
 *
 * @example
 * const issues: ValidationIssue[] = [];
 * checkWholeNumber(Number.NaN, 'init.timeout', issues, 1); // issues: init.timeout: expected a whole number from 1 to 2147483647, got NaN
 */
export function checkWholeNumber(
  value: unknown,
  path: string,
  issues: ValidationIssue[],
  min: number,
  max: number = MAX_TIMER_MS,
): void {
  if (value === undefined) return;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return;
  const shown = typeof value === 'number' ? String(value) : `a ${typeof value}`;
  issues.push(createIssue('invalid-argument', path, `expected a whole number from ${min} to ${max}, got ${shown}`));
}

/**
 * A call's own `timeout`, checked (see {@link checkWholeNumber}): throws an `InstantValidationError`
 * naming `options.timeout` of the call to `/<label>` before anything is sent.
 *
 * @example
 * checkCallTimeout(5_000, 'admin/query') // 5000
 */
export function checkCallTimeout(timeout: unknown, label: string): number | undefined {
  const issues: ValidationIssue[] = [];
  checkWholeNumber(timeout, `options.timeout (/${label})`, issues, 1);
  if (issues.length > 0) throw new InstantValidationError(issues, 'call options');
  return timeout as number | undefined;
}
