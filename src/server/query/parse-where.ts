import { isPlainObject } from '../../protocol/json.ts';
import { type PathPart, type QueryProblem, queryValidationError } from './query-errors.ts';
import type { ComparisonKind, Operator, WhereValue } from './query-plan.ts';

/** A `$like`/`$ilike` operator before the attribute is known: its value may still be of the wrong type. */
export interface RawLike {
  readonly kind: 'like';
  readonly value: WhereValue;
  readonly caseInsensitive: boolean;
}

/** An operator as written, checked for shape only; values are coerced once the attribute is known. */
export type RawOperator = Exclude<Operator, { kind: 'like' }> | RawLike;

/** A `where` clause checked for shape, before paths are resolved. */
export type RawWhere =
  | { readonly kind: 'and' | 'or'; readonly clauses: readonly RawWhere[] }
  | { readonly kind: 'cond'; readonly path: readonly string[]; readonly op: RawOperator };

/**
 * Where a where clause sits: `root` is the query (for error hints), `optionsIn` the path of its `$`
 * (`['users', '$']`), `specIn` its place in Instant's coerced forms (`[0, 'option-map', 'where-conds']`).
 * Spec problems go to `problems`: Instant reports them only after checking the whole query's shape.
 */
export interface WhereScope {
  readonly root: unknown;
  readonly optionsIn: readonly PathPart[];
  readonly specIn: readonly PathPart[];
  readonly problems: QueryProblem[];
}

/**
 * The most conditions one `where` may hold and the most values one `$in` may list. Instant has no such
 * limits of its own (its statement timeout bounds the work); here they bound the memory and time one
 * request can ask for before any of it is spent, and are far above what a query built by hand needs.
 */
export const MAX_WHERE_CONDITIONS = 10_000;
export const MAX_IN_VALUES = 1_000_000;

const COMPARISONS: Readonly<Record<string, ComparisonKind>> = { $gt: 'gt', $gte: 'gte', $lt: 'lt', $lte: 'lte' };
const OPERATOR_KEYS = new Set(['in', '$in', '$not', '$ne', '$isNull', '$like', '$ilike', ...Object.keys(COMPARISONS)]);

/**
 * Parses a `where` object (keys AND-ed) into a {@link RawWhere}: `or`/`and` lists (never empty), dotted
 * paths, and one operator per key. Shape errors throw Instant's `query` error at once; operand errors
 * (`in` not a list, an unknown operator, `$isNull` not a boolean …) are recorded in `scope.problems` with
 * their place in Instant's coerced forms, to become its `coerced-query` error.
 */
export function parseWhere(where: Readonly<Record<string, unknown>>, scope: WhereScope): RawWhere {
  const parsed: RawWhere = { kind: 'and', clauses: parseEntries(where, scope, scope.specIn, true) };
  const conditions = countConditions(parsed);
  if (conditions > MAX_WHERE_CONDITIONS)
    throw queryValidationError('query', scope.root, [
      {
        expected: `at-most-${MAX_WHERE_CONDITIONS}-conditions?`,
        in: [...scope.optionsIn, 'where'],
        message: `A \`where\` clause may hold at most ${MAX_WHERE_CONDITIONS} conditions; this one has ${conditions}.`,
      },
    ]);
  return parsed;
}

function countConditions(where: RawWhere): number {
  return where.kind === 'cond' ? 1 : where.clauses.reduce((sum, clause) => sum + countConditions(clause), 0);
}

function parseEntries(
  where: Readonly<Record<string, unknown>>,
  scope: WhereScope,
  specIn: readonly PathPart[],
  topLevel: boolean,
): RawWhere[] {
  const entries = Object.entries(where);
  return entries.map(([key, value], index) => {
    // A clause of several keys is one `and` in Instant's coerced forms; a lone key stands for itself.
    const at = topLevel || entries.length > 1 ? [...specIn, ...(topLevel ? [] : ['and']), index] : specIn;
    if ((key === 'or' || key === 'and') && Array.isArray(value)) return parseList(key, value, scope, at);
    return { kind: 'cond', path: key.split('.'), op: parseOperator(value, scope, at, isNegation(value)) };
  });
}

function parseList(kind: 'or' | 'and', list: readonly unknown[], scope: WhereScope, at: readonly PathPart[]): RawWhere {
  if (list.length === 0)
    throw queryValidationError('query', scope.root, [
      {
        expected: 'non-empty-list?',
        in: [...scope.optionsIn, kind],
        message: `The list of \`${kind}\` conditions can't be empty.`,
      },
    ]);
  const clauses = list.map((clause, index) => {
    if (!isPlainObject(clause))
      throw queryValidationError('query', scope.root, [
        { expected: 'map?', in: [...scope.optionsIn, 'where', kind, index] },
      ]);
    return { kind: 'and' as const, clauses: parseEntries(clause, scope, [...at, kind, index], false) };
  });
  return { kind, clauses };
}

/** `$not`/`$ne` conditions become `{or: [cond, isNull…]}` in Instant's coerced forms, one level deeper. */
function isNegation(value: unknown): boolean {
  return isPlainObject(value) && ('$not' in value || '$ne' in value);
}

const isWhereValue = (value: unknown): value is WhereValue =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

function parseOperator(value: unknown, scope: WhereScope, condIn: readonly PathPart[], negation: boolean): RawOperator {
  const at = [...condIn, ...(negation ? ['or', 0] : []), 1];
  if (isWhereValue(value)) return { kind: 'eq', value };
  if (!isPlainObject(value)) return invalid(scope, { expected: 'map?', in: at });
  const entries = Object.entries(value);
  for (const [key, operand] of entries) {
    const problem = OPERATOR_KEYS.has(key) ? operandProblem(key, operand, [...at, key]) : undefined;
    if (problem) return invalid(scope, problem);
  }
  const [first] = entries;
  if (!first || entries.some(([key]) => !OPERATOR_KEYS.has(key)))
    return invalid(scope, { expected: 'instant.db.instaql/where-value-valid-keys?', in: at });
  // Instant applies only the first operator of a map (`->where-cond-attr-pats` takes `(first v)`).
  return toOperator(first[0], first[1]);
}

/** Records a spec problem; the placeholder operator is never used, since the problem is thrown first. */
function invalid(scope: WhereScope, problem: QueryProblem): RawOperator {
  scope.problems.push(problem);
  return { kind: 'isNull', isNull: false };
}

function operandProblem(key: string, operand: unknown, at: PathPart[]): QueryProblem | undefined {
  switch (key) {
    case 'in':
    case '$in': {
      if (!Array.isArray(operand)) return { expected: 'vector?', in: at };
      if (operand.length > MAX_IN_VALUES)
        return {
          expected: `at-most-${MAX_IN_VALUES}-values?`,
          in: at,
          message: `\`${key}\` may list at most ${MAX_IN_VALUES} values; this one has ${operand.length}.`,
        };
      const bad = operand.findIndex((item) => item !== null && !isWhereValue(item));
      return bad < 0 ? undefined : { expected: 'instant.db.instaql/in-value-valid?', in: [...at, bad] };
    }
    case '$not':
    case '$ne':
      return isWhereValue(operand) ? undefined : { expected: 'instant.db.instaql/where-value-valid?', in: at };
    case '$isNull':
      return typeof operand === 'boolean' ? undefined : { expected: 'boolean?', in: at };
    default:
      // Comparators and $like/$ilike take a string, number or boolean (`::comparator`).
      return isWhereValue(operand) ? undefined : { expected: 'boolean?', in: at };
  }
}

function toOperator(key: string, operand: unknown): RawOperator {
  if (key === 'in' || key === '$in') return { kind: 'in', values: [...new Set(operand as (WhereValue | null)[])] };
  if (key === '$not' || key === '$ne') return { kind: 'not', value: operand as WhereValue };
  if (key === '$isNull') return { kind: 'isNull', isNull: operand as boolean };
  if (key === '$like' || key === '$ilike')
    return { kind: 'like', value: operand as WhereValue, caseInsensitive: key === '$ilike' };
  return { kind: COMPARISONS[key]!, value: operand as WhereValue };
}
