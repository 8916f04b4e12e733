import { ApiError } from '../api/api-error.ts';

/** A position in the query (or in Instant's coerced forms): keys and list indexes, plus a printed `$in` set. */
export type PathPart = string | number | readonly unknown[];

/**
 * One entry of `hint.errors`, as Instant writes it: `in` (all but `attr` errors); `expected` (from
 * `instaql.clj`) or `expected?` (from `attr_pat.clj`); `message` when Instant gives one.
 */
export interface QueryProblem {
  readonly in?: readonly PathPart[];
  readonly expected?: string;
  readonly 'expected?'?: string;
  readonly message?: string;
}

/**
 * Instant's `validation-failed` error (`ex/throw-validation-err!`): the message is "Validation failed
 * for <dataType>" followed by the problems' messages, joined by ", "; the hint carries
 * `{data-type, input, errors}`.
 */
export function queryValidationError(
  dataType: 'query' | 'coerced-query' | 'attr',
  input: unknown,
  problems: readonly QueryProblem[],
): ApiError {
  const messages = problems.flatMap((problem) => (problem.message === undefined ? [] : [problem.message]));
  const suffix = messages.length > 0 ? `: ${messages.join(', ')}` : '';
  return new ApiError(400, 'validation-failed', `Validation failed for ${dataType}${suffix}`, {
    'data-type': dataType,
    input,
    errors: problems,
  });
}

/**
 * A value as Instant prints it in messages (`->json`); an integer beyond 2^53 as its digits were sent.
 *
 * @example
 * printJson('hello') // '"hello"'
 */
export function printJson(value: unknown, numberText?: ReadonlyMap<number, string>): string {
  if (typeof value === 'number' && numberText?.has(value)) return numberText.get(value)!;
  return JSON.stringify(value) ?? 'null';
}

/**
 * A value's JSON type name as Instant's messages spell it (`json-type-of-clj`).
 *
 * @example
 * jsonTypeOf(1) // 'number'
 */
export function jsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return ['string', 'number', 'boolean'].includes(typeof value) ? typeof value : 'object';
}
