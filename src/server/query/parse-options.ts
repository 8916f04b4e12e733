import { isPlainObject } from '../../protocol/json.ts';
import { parseCursor, type RawCursor } from './parse-cursor.ts';
import { parseOrder, type RawOrder } from './parse-order.ts';
import { parseWhere, type RawWhere } from './parse-where.ts';
import { type PathPart, type QueryProblem, printJson, queryValidationError } from './query-errors.ts';

/** A node's `$` options checked for shape, before the attribute registry is consulted. */
export interface ShapedOptions {
  readonly where: RawWhere | undefined;
  readonly order: RawOrder | undefined;
  readonly limit: number | undefined;
  readonly first: number | undefined;
  readonly last: number | undefined;
  readonly offset: number | undefined;
  readonly after: RawCursor | undefined;
  readonly before: RawCursor | undefined;
  readonly afterInclusive: boolean;
  readonly beforeInclusive: boolean;
  readonly aggregate: 'count' | undefined;
  readonly fields: readonly string[] | undefined;
}

/**
 * Where a `$` sits: `in` is its path (`['users', '$']`), `specIn` its form's place in Instant's coerced
 * forms (`[0]`, `[0, 'child-forms', 1]`), `level` 0 at the top. Spec problems collect in `problems`.
 */
export interface OptionsScope {
  readonly root: unknown;
  readonly in: readonly PathPart[];
  readonly specIn: readonly PathPart[];
  readonly level: number;
  readonly problems: QueryProblem[];
}

const KNOWN: ReadonlySet<string> = new Set(
  ['where', 'order', 'limit', 'first', 'last', 'offset', 'before', 'after'].concat([
    'beforeInclusive',
    'afterInclusive',
    'aggregate',
    'fields',
  ]),
);

/** Clojure's truthiness, which decides whether Instant looks at an option at all (`when-let`). */
const given = (value: unknown): boolean => value !== undefined && value !== null && value !== false;

/**
 * Checks a node's `$` options in the order Instant's `coerce-option-map!` does, throwing its first
 * error: `where` (an object), `order`, positive `limit`/`first`/`last`, non-negative `offset`, cursors,
 * boolean `*Inclusive`, `aggregate: "count"`, `fields` (an array), no unknown option, `offset`/cursors
 * only at the top level, and one of `limit`/`first`/`last`.
 */
export function parseOptions(options: unknown, scope: OptionsScope): ShapedOptions {
  const fail = (problem: QueryProblem): never => {
    throw queryValidationError('query', scope.root, [problem]);
  };
  if (!isPlainObject(options)) return fail({ expected: 'map?', in: scope.in });
  const where = parseWhereOption(options.where, scope, fail);
  const order = given(options.order) ? parseOrder(options.order, scope.root, [...scope.in, 'order']) : undefined;
  const counts = parseCounts(options, scope, fail);
  const shaped: ShapedOptions = {
    where,
    order,
    ...counts,
    after: given(options.after) ? parseCursor(options.after, scope.root, [...scope.in, 'after']) : undefined,
    afterInclusive: parseInclusive(options.afterInclusive, [...scope.in, 'afterInclusive'], fail),
    before: given(options.before) ? parseCursor(options.before, scope.root, [...scope.in, 'before']) : undefined,
    beforeInclusive: parseInclusive(options.beforeInclusive, [...scope.in, 'beforeInclusive'], fail),
    aggregate: parseAggregate(options.aggregate, scope, fail),
    fields: parseFields(options.fields, scope, fail),
  };
  checkCombinations(options, shaped, scope, fail);
  return shaped;
}

function parseWhereOption(
  where: unknown,
  scope: OptionsScope,
  fail: (problem: QueryProblem) => never,
): RawWhere | undefined {
  if (where === undefined || where === null) return undefined;
  if (!isPlainObject(where)) return fail({ expected: 'map?', in: [...scope.in, 'where'] });
  const specIn = [...scope.specIn, 'option-map', 'where-conds'];
  const parsed = parseWhere(where, { root: scope.root, optionsIn: scope.in, specIn, problems: scope.problems });
  return parsed.kind === 'and' && parsed.clauses.length === 0 ? undefined : parsed;
}

type Counts = Pick<ShapedOptions, 'limit' | 'first' | 'last' | 'offset'>;

function parseCounts(
  options: Readonly<Record<string, unknown>>,
  scope: OptionsScope,
  fail: (problem: QueryProblem) => never,
): Counts {
  const count = (key: 'limit' | 'first' | 'last' | 'offset'): number | undefined => {
    const value = options[key];
    if (!given(value)) return undefined;
    const min = key === 'offset' ? 0 : 1;
    if (Number.isSafeInteger(value) && (value as number) >= min) return value as number;
    const kind = key === 'offset' ? 'a non-negative' : 'a positive';
    return fail({
      expected: 'supported-options?',
      in: [...scope.in, key],
      message: `The ${key} field must be ${kind} integer. Got ${printJson(value)}.`,
    });
  };
  return { limit: count('limit'), first: count('first'), last: count('last'), offset: count('offset') };
}

function parseInclusive(value: unknown, at: readonly PathPart[], fail: (problem: QueryProblem) => never): boolean {
  if (value === undefined || value === null) return false;
  return typeof value === 'boolean' ? value : fail({ expected: 'boolean?', in: at });
}

function parseAggregate(
  value: unknown,
  scope: OptionsScope,
  fail: (problem: QueryProblem) => never,
): 'count' | undefined {
  if (!given(value)) return undefined;
  if (value === 'count') return 'count';
  return fail({
    expected: 'supported-options?',
    in: [...scope.in, 'aggregate'],
    message: `The aggregate field only accepts "count", got ${printJson(value)}.`,
  });
}

function parseFields(
  value: unknown,
  scope: OptionsScope,
  fail: (problem: QueryProblem) => never,
): readonly string[] | undefined {
  if (!given(value)) return undefined;
  if (!Array.isArray(value))
    return fail({
      expected: 'array?',
      in: [...scope.in, 'fields'],
      message: 'The `fields` property should be an array of field names.',
    });
  const bad = value.findIndex((field) => typeof field !== 'string');
  if (bad >= 0) scope.problems.push({ expected: 'string?', in: [...scope.specIn, 'option-map', 'fields', bad] });
  return value as string[];
}

function checkCombinations(
  options: Readonly<Record<string, unknown>>,
  shaped: ShapedOptions,
  scope: OptionsScope,
  fail: (problem: QueryProblem) => never,
): void {
  if (Object.keys(options).some((key) => !KNOWN.has(key)))
    fail({
      expected: 'supported-options?',
      in: scope.in,
      message: 'We only support `where`, `order`, `limit`, `offset`, `before`, and `after` clauses.',
    });
  if (scope.level > 0 && (shaped.offset !== undefined || shaped.after || shaped.before))
    fail({
      expected: 'supported-options?',
      in: scope.in,
      message:
        'We currently only support `offset`, `before`, and `after` clauses on the top-level field. Limit fields will be ignored',
    });
  const limits = (['limit', 'first', 'last'] as const).filter((key) => shaped[key] !== undefined);
  if (limits.length > 1)
    fail({
      expected: 'supported-options?',
      in: scope.in,
      message: `Only provide one of ${limits.map((key) => `\`${key}\``).join(' or ')}.`,
    });
}
