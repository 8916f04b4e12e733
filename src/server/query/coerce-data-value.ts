import type { Attr } from '../store/attr.ts';
import { parseDateValue, parseSpecialDate } from './date-value.ts';
import { jsonTypeOf, type PathPart, printJson, queryValidationError } from './query-errors.ts';
import type { WhereValue } from './query-plan.ts';

/** Where a value sits (for errors): the query, and the value's path (`[…, '$', 'where', label]`). */
export interface ValueScope {
  readonly root: unknown;
  readonly at: readonly PathPart[];
  /** Digits of the request's integers beyond 2^53, printed as sent (see `printJson`). */
  readonly numberText?: ReadonlyMap<number, string>;
}

/** Postgres words Instant refuses in equality on a date ("we need a way to agree with the client …"). */
const RELATIVE_DAYS = new Set(['tomorrow', 'now', 'yesterday', 'today']);

const friendly = (attr: Attr): string => `${attr.ns}.${attr.label}`;

/**
 * Instant's error for a value of the wrong type (`throw-invalid-data-value!`).
 */
export function invalidDataValue(attr: Attr, type: string, value: unknown, scope: ValueScope): Error {
  return queryValidationError('query', scope.root, [
    {
      'expected?': `${type}?`,
      in: scope.at,
      message: `The data type of \`${friendly(attr)}\` is \`${type}\`, but the query got the value \`${printJson(value, scope.numberText)}\` of type \`${jsonTypeOf(value)}\`.`,
    },
  ]);
}

/** Instant's error for a date it cannot read (`throw-invalid-timestamp!` / `throw-invalid-date-string!`). */
function invalidDate(attr: Attr, value: unknown, scope: ValueScope): Error {
  return queryValidationError('query', scope.root, [
    {
      'expected?': typeof value === 'number' ? 'timestamp?' : 'date-string?',
      in: scope.at,
      message: `The data type of \`${friendly(attr)}\` is \`date\`, but the query got value \`${printJson(value, scope.numberText)}\` of type \`${jsonTypeOf(value)}\`.`,
    },
  ]);
}

/**
 * Checks an equality value (`eq`, `$not`, an `$in` item) against a typed attribute, as Instant's
 * `coerce-value-data-value!` does: `null` passes; a `date` becomes epoch ms (from a number or a date
 * string; `now`, `today`, `tomorrow`, `yesterday` are refused); other types must match exactly.
 */
export function coerceDataValue(
  attr: Attr,
  type: string,
  value: WhereValue | null,
  scope: ValueScope,
): WhereValue | null {
  if (value === null) return null;
  if (type !== 'date') {
    if (['string', 'number', 'boolean'].includes(type) && typeof value !== type)
      throw invalidDataValue(attr, type, value, scope);
    return value;
  }
  if (typeof value === 'boolean') throw invalidDataValue(attr, type, value, scope);
  const time = typeof value === 'string' && RELATIVE_DAYS.has(value) ? undefined : parseDateValue(value);
  if (time === undefined) throw invalidDate(attr, value, scope);
  return time;
}

/**
 * Checks a comparison value (`$gt` …, `$like`) against the attribute's type, as Instant's
 * `coerced-type-comparison-value!` does: a `date` takes epoch ms, a date string or a Postgres special
 * word (`now`, `epoch`, …); other types must match exactly.
 */
export function coerceComparisonValue(
  attr: Attr,
  type: string,
  value: WhereValue,
  scope: ValueScope,
  now: number,
): WhereValue {
  if (type !== 'date') {
    if (typeof value !== type) throw invalidDataValue(attr, type, value, scope);
    return value;
  }
  if (typeof value === 'boolean') throw invalidDataValue(attr, type, value, scope);
  const time = parseDateValue(value) ?? (typeof value === 'string' ? parseSpecialDate(value, now) : undefined);
  if (time === undefined) throw invalidDate(attr, value, scope);
  return time;
}

/**
 * The type an attribute compares with (`$gt` …, `$like`): Instant's `assert-checked-attr-data-type!`
 * requires it to be indexed and to have a checked data type.
 */
export function comparisonType(attr: Attr, scope: ValueScope): string {
  const problem = !attr.indexed
    ? { 'expected?': 'indexed?', message: 'must be indexed to use comparison operators.' }
    : !attr.checkedType
      ? { 'expected?': 'checked-data-type?', message: 'must have an enforced type to use comparison operators.' }
      : undefined;
  if (!problem) return attr.checkedType!;
  throw queryValidationError('query', scope.root, [
    {
      'expected?': problem['expected?'],
      in: scope.at,
      message: `The \`${friendly(attr)}\` attribute ${problem.message}`,
    },
  ]);
}

/**
 * Instant's error for a `$like`/`$ilike` value that is not a string (the message says `$like` for both).
 */
export function likeNotString(attr: Attr, value: unknown, scope: ValueScope): Error {
  return queryValidationError('query', scope.root, [
    {
      'expected?': 'string?',
      in: scope.at,
      message: `The $like value for \`${friendly(attr)}\` must be a string, but the query got the value \`${printJson(value, scope.numberText)}\` of type \`${jsonTypeOf(value)}\`.`,
    },
  ]);
}
