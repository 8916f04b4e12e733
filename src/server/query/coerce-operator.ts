import { assertNever } from '../../compiler/assert-never.ts';
import { isUuid } from '../../protocol/uuid.ts';
import type { Attr } from '../store/attr.ts';
import { inClojureSetOrder } from './clojure-set-order.ts';
import {
  coerceComparisonValue,
  coerceDataValue,
  comparisonType,
  likeNotString,
  invalidDataValue,
  type ValueScope,
} from './coerce-data-value.ts';
import { compileLike } from './like-matcher.ts';
import type { RawOperator } from './parse-where.ts';
import { printJson, queryValidationError } from './query-errors.ts';
import type { ComparisonKind, Operator, WhereValue } from './query-plan.ts';

/** An operator with its values checked and coerced for the attribute, and whether they are dates. */
export interface CoercedOperator {
  readonly op: Operator;
  readonly dates: boolean;
}

/** Where the condition sits: `at` is `[…form, '$', 'where', label]`, `label` the path's last label. */
export interface OperatorScope extends ValueScope {
  readonly label: string;
  readonly now: number;
}

/**
 * Checks and coerces an operator's values for the attribute its path ends at, as Instant's
 * `->value-attr-pat` does: link values must be uuids; comparisons and `$like` need an indexed, typed
 * attribute and a value of its type; equality values on a typed attribute must have its type (and
 * become epoch ms on an indexed `date`); `null` in `$in` needs an indexed attribute.
 */
export function coerceOperator(raw: RawOperator, attr: Attr, scope: OperatorScope): CoercedOperator {
  if (raw.kind === 'isNull') return { op: raw, dates: false };
  if (attr.valueType === 'ref') return { op: coerceLinkOperator(raw, scope), dates: false };
  switch (raw.kind) {
    case 'eq':
    case 'not':
    case 'in':
      return coerceEquality(raw, attr, scope);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
    case 'like':
      return coerceComparison(raw, attr, scope);
    default:
      return assertNever(raw);
  }
}

function coerceEquality(
  raw: Extract<RawOperator, { kind: 'eq' | 'not' | 'in' }>,
  attr: Attr,
  scope: OperatorScope,
): CoercedOperator {
  const type = attr.checkedType;
  const check = (value: WhereValue | null) => (type ? coerceDataValue(attr, type, value, scope) : value);
  const coerced = raw.kind === 'in' ? raw.values.map(check) : check(raw.value);
  if (raw.kind === 'in' && raw.values.includes(null) && !attr.indexed)
    throw queryValidationError('query', scope.root, [
      {
        'expected?': 'indexed?',
        in: [...scope.at.slice(0, -1), '$in', inClojureSetOrder(raw.values)],
        message: `Only indexed attrs can check for \`nil\` in \`$in\`. ${attr.ns}.${attr.label} is not indexed.`,
      },
    ]);
  // Instant compares with the coerced value only through the index; otherwise with the value as sent.
  if (!type || !attr.indexed) return { op: raw, dates: false };
  const op: Operator =
    raw.kind === 'in'
      ? { kind: 'in', values: coerced as (WhereValue | null)[] }
      : { kind: raw.kind, value: coerced as WhereValue };
  return { op, dates: type === 'date' };
}

function coerceComparison(
  raw: Extract<RawOperator, { kind: ComparisonKind | 'like' }>,
  attr: Attr,
  scope: OperatorScope,
): CoercedOperator {
  const key = raw.kind === 'like' ? (raw.caseInsensitive ? '$ilike' : '$like') : `$${raw.kind}`;
  const at = { root: scope.root, at: [...scope.at, key] };
  const type = comparisonType(attr, scope);
  if (raw.kind !== 'like')
    return {
      op: { kind: raw.kind, value: coerceComparisonValue(attr, type, raw.value, at, scope.now) },
      dates: type === 'date',
    };
  if (typeof raw.value !== 'string') throw likeNotString(attr, raw.value, at);
  if (type !== 'string') throw invalidDataValue(attr, type, raw.value, at);
  const op = {
    kind: 'like',
    pattern: raw.value,
    caseInsensitive: raw.caseInsensitive,
    matches: compileLike(raw.value, raw.caseInsensitive),
  } as const;
  return { op, dates: false };
}

/** Link values must be entity ids (uuids), compared lower-cased. */
function coerceLinkOperator(raw: Exclude<RawOperator, { kind: 'isNull' }>, scope: OperatorScope): Operator {
  const notUuid = (got: string) =>
    queryValidationError('query', scope.root, [
      { expected: 'uuid?', in: scope.at, message: `Expected ${scope.label} to be a uuid, got ${got}` },
    ]);
  switch (raw.kind) {
    case 'eq':
      if (!isUuid(raw.value)) throw notUuid(printJson(raw.value));
      return { kind: 'eq', value: (raw.value as string).toLowerCase() };
    case 'not':
      if (!isUuid(raw.value)) throw notUuid(printJson({ $not: raw.value }));
      return { kind: 'not', value: (raw.value as string).toLowerCase() };
    case 'in':
      return { kind: 'in', values: raw.values.map((value) => linkInValue(value, raw.values, scope)) };
    default: {
      // Instant checks the whole conformed operator, e.g. {"$gt":["number",1]}, and finds no uuid.
      const key = raw.kind === 'like' ? (raw.caseInsensitive ? '$ilike' : '$like') : `$${raw.kind}`;
      throw notUuid(printJson({ [key]: [typeof raw.value, raw.value] }));
    }
  }
}

function linkInValue(value: WhereValue | null, all: readonly (WhereValue | null)[], scope: OperatorScope): string {
  if (isUuid(value)) return (value as string).toLowerCase();
  throw queryValidationError('query', scope.root, [
    {
      expected: 'uuid?',
      in: scope.at,
      message: `Expected ${scope.label} to match on a uuid, found ${printJson(value)} in ${printJson(inClojureSetOrder(all))}`,
    },
  ]);
}
