import { describeValue } from '../builder/copy-json.ts';
import { formatPath } from '../builder/path.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import { isPlainObject } from '../protocol/json.ts';
import { MAX_JSON_DEPTH } from '../protocol/json-limits.ts';
import { isUuid } from '../protocol/uuid.ts';
import type { AttrInfo, NamespaceInfo, SchemaIndex } from '../schema/schema-index.ts';

/** What a `where` key names: an attribute, the entity id, or a link (matched by the linked entity's id). */
type WhereTarget = { readonly kind: 'attr'; readonly attr: AttrInfo } | { readonly kind: 'id' | 'link' };

/** The operators Instant's `where` understands (the official SDK's list); `in` is an alias of `$in`, `$ne` of `$not`. */
const OPERATORS = ['$in', 'in', '$not', '$ne', '$gt', '$gte', '$lt', '$lte', '$like', '$ilike', '$isNull'] as const;
const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);

/**
 * Checks a `where` clause of namespace `ns` against the schema, recording every problem in `issues`:
 * keys that are not attributes, `id` or link labels (dotted paths `todos.title` walk links first),
 * `and`/`or` that are not non-empty arrays of clauses, unknown operators, operands of the wrong shape
 * (`$in` not an array, `$like` not a string, `$isNull` not a boolean), literals of the wrong type, and
 * ids that are not UUIDs.
 *
 * @example
 * const index = indexSchema(schema);
 * const issues: ValidationIssue[] = [];
 * checkWhere({ titel: 'x' }, index.namespaces.get('goals')!, index, 'goals.$.where', issues, 0);
 * issues[0]?.path // 'goals.$.where.titel'
 */
export function checkWhere(
  where: unknown,
  ns: NamespaceInfo,
  schema: SchemaIndex,
  path: string,
  issues: ValidationIssue[],
  depth: number,
): void {
  if (!isPlainObject(where)) {
    issues.push(createIssue('invalid-argument', path, `expected an object of conditions, got ${describeValue(where)}`));
    return;
  }
  if (depth > MAX_JSON_DEPTH) {
    issues.push(createIssue('invalid-argument', path, `and/or clauses nested more than ${MAX_JSON_DEPTH} levels deep`));
    return;
  }
  for (const key of Object.keys(where)) {
    const value = where[key];
    if (value === undefined) continue;
    const at = formatPath(path, [key]);
    if (key === 'and' || key === 'or') {
      checkClauseList(key, value, ns, schema, at, issues, depth);
      continue;
    }
    const target = resolveWhereKey(key, ns, schema, at, issues);
    if (target) checkCondition(value, target, at, issues);
  }
}

function checkClauseList(
  key: string,
  value: unknown,
  ns: NamespaceInfo,
  schema: SchemaIndex,
  at: string,
  issues: ValidationIssue[],
  depth: number,
): void {
  if (!Array.isArray(value)) {
    issues.push(
      createIssue('invalid-argument', at, `\`${key}\` takes an array of where clauses, got ${describeValue(value)}`),
    );
  } else if (value.length === 0) {
    issues.push(createIssue('invalid-argument', at, `the list of \`${key}\` conditions can't be empty`));
  } else {
    for (const [index, clause] of value.entries()) checkWhere(clause, ns, schema, `${at}[${index}]`, issues, depth + 1);
  }
}

/** Walks a (possibly dotted) key: every segment but the last must be a link label; the last is `id`, an attribute or a link. */
function resolveWhereKey(
  key: string,
  start: NamespaceInfo,
  schema: SchemaIndex,
  at: string,
  issues: ValidationIssue[],
): WhereTarget | undefined {
  const segments = key.split('.');
  let ns = start;
  for (const label of segments.slice(0, -1)) {
    const link = ns.links.get(label);
    const next = link && schema.namespaces.get(link.target);
    if (!next) {
      issues.push(
        createIssue(
          'unknown-link',
          at,
          `'${ns.name}' has no link '${label}'${segments.length > 1 ? ` (in '${key}')` : ''}; known links: ${known(ns.links.keys())}`,
        ),
      );
      return undefined;
    }
    ns = next;
  }
  const last = segments.at(-1)!;
  if (last === 'id') return { kind: 'id' };
  const attr = ns.attrs.get(last);
  if (attr) return { kind: 'attr', attr };
  if (ns.links.has(last)) return { kind: 'link' };
  issues.push(
    createIssue(
      'unknown-attribute',
      at,
      `'${ns.name}' has no attribute or link '${last}'${suggest(last, [...ns.attrs.keys(), ...ns.links.keys()])}`,
    ),
  );
  return undefined;
}

function checkCondition(value: unknown, target: WhereTarget, at: string, issues: ValidationIssue[]): void {
  if (!isPlainObject(value)) {
    const problem = literalProblem(value, target);
    if (problem) issues.push(createIssue(problem.code, at, problem.message));
    return;
  }
  const ops = Object.keys(value).filter((op) => value[op] !== undefined);
  if (ops.length > 1 && !ops.every((op) => op === '$not' || op === '$ne' || op === '$isNull')) {
    issues.push(
      createIssue(
        'invalid-argument',
        at,
        `Instant applies only the first operator of ${ops.join(', ')}; write each in its own clause inside \`and: [...]\``,
      ),
    );
  }
  for (const op of ops) checkOperator(op, value[op], target, formatPath(at, [op]), issues);
}

function checkOperator(op: string, operand: unknown, target: WhereTarget, at: string, issues: ValidationIssue[]): void {
  if (!OPERATOR_SET.has(op)) {
    issues.push(
      createIssue(
        'unknown-operator',
        at,
        `unknown operator '${op}'; expected one of ${OPERATORS.join(', ')}${suggest(op, OPERATORS)}`,
      ),
    );
  } else if (op === '$in' || op === 'in') {
    if (!Array.isArray(operand))
      issues.push(createIssue('wrong-type', at, `\`${op}\` takes an array, got ${describeValue(operand)}`));
    else for (const [index, item] of operand.entries()) checkLiteral(item, target, `${at}[${index}]`, issues, true);
  } else if (op === '$like' || op === '$ilike') {
    if (typeof operand !== 'string')
      issues.push(createIssue('wrong-type', at, `\`${op}\` takes a string pattern, got ${describeValue(operand)}`));
    else if (op === '$ilike' && target.kind === 'attr' && !target.attr.indexed) {
      issues.push(
        createIssue(
          'invalid-argument',
          at,
          `\`$ilike\` needs an indexed attribute; '${target.attr.name}' is not indexed`,
        ),
      );
    }
  } else if (op === '$isNull') {
    if (typeof operand !== 'boolean')
      issues.push(createIssue('wrong-type', at, `\`$isNull\` takes true or false, got ${describeValue(operand)}`));
  } else {
    checkLiteral(operand, target, at, issues, false);
  }
}

function checkLiteral(
  value: unknown,
  target: WhereTarget,
  at: string,
  issues: ValidationIssue[],
  nullable: boolean,
): void {
  if (value === null && nullable) return;
  const problem = literalProblem(value, target);
  if (problem) issues.push(createIssue(problem.code, at, problem.message));
}

/** Why `value` cannot be compared with the target, if it cannot: Instant matches strings, numbers and booleans only. */
function literalProblem(
  value: unknown,
  target: WhereTarget,
): { code: 'wrong-type' | 'invalid-value'; message: string } | undefined {
  if (value === null) return { code: 'invalid-value', message: 'null cannot be matched; use {$isNull: true}' };
  if (typeof value === 'number' && !Number.isFinite(value))
    return { code: 'invalid-value', message: `${value} is not a JSON number` };
  if (Array.isArray(value)) return { code: 'wrong-type', message: 'an array cannot be matched; use {$in: [...]}' };
  const kind = value instanceof Date ? 'date' : typeof value;
  if (target.kind !== 'attr') {
    return typeof value === 'string' && isUuid(value)
      ? undefined
      : { code: 'wrong-type', message: `expected a UUID, got ${describeLiteral(value)}` };
  }
  const expected = target.attr.valueType;
  const fits =
    expected === 'json'
      ? ['string', 'number', 'boolean'].includes(kind)
      : expected === 'date'
        ? ['string', 'number', 'date'].includes(kind)
        : kind === expected;
  return fits
    ? undefined
    : {
        code: 'wrong-type',
        message: `'${target.attr.name}' is ${expected === 'json' ? 'json (match a string, number or boolean)' : `a ${expected}`}, got ${describeLiteral(value)}`,
      };
}

function describeLiteral(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value)
    : describeValue(value);
}

function known(names: Iterable<string>): string {
  return [...names].join(', ') || 'none';
}

/**
 * ` (did you mean 'x'?)` for a name that differs from a known one only in case, else ''.
 *
 * @example
 * suggest('Title', ['title']) // " (did you mean 'title'?)"
 */
export function suggest(name: string, candidates: Iterable<string>): string {
  const lower = name.toLowerCase();
  for (const candidate of candidates)
    if (candidate !== name && candidate.toLowerCase() === lower) return ` (did you mean '${candidate}'?)`;
  return '';
}
