import { isPlainObject } from '../../protocol/json.ts';
import { validationFailed } from '../http/api-error.ts';

const OPTIONS = new Set([
  'where',
  'order',
  'limit',
  'first',
  'last',
  'offset',
  'before',
  'after',
  'beforeInclusive',
  'afterInclusive',
  'aggregate',
  'fields',
]);
const TOP_LEVEL_ONLY = ['offset', 'before', 'after'];

/**
 * Checks an InstaQL query's shape as Instant does (spec §2.2): every node an object, only known `$`
 * options, pagination options only at the top level, positive limits, one order key.
 *
 * @example
 * validateQuery({ goals: { $: { limit: 10 }, todos: {} } }) // passes
 * validateQuery({ goals: { $: { limit: 0 } } }) // throws ApiError 'Validation failed for query: The limit field must be …'
 */
export function validateQuery(query: Record<string, unknown>): void {
  const errors: { message: string; in: (string | number)[]; expected?: string }[] = [];
  const visit = (node: unknown, path: string[], depth: number): void => {
    if (!isPlainObject(node)) {
      errors.push({ expected: 'map?', in: path, message: `Expected an object at ${path.join('.')}.` });
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === '$') checkOptions(child, [...path, '$'], depth, errors);
      else if (!(depth === 0 && key === '$$ruleParams')) visit(child, [...path, key], depth + 1);
    }
  };
  for (const [ns, node] of Object.entries(query)) if (ns !== '$$ruleParams') visit(node, [ns], 0);
  if (errors.length > 0)
    throw validationFailed(
      'query',
      query,
      errors.map((error) => error.message),
      errors.map(({ message: _m, ...rest }) => rest),
    );
}

function checkOptions(
  options: unknown,
  path: string[],
  depth: number,
  errors: { message: string; in: (string | number)[] }[],
): void {
  if (!isPlainObject(options)) {
    errors.push({ in: path, message: 'The `$` clause must be an object.' });
    return;
  }
  for (const key of Object.keys(options)) {
    if (!OPTIONS.has(key))
      errors.push({
        in: [...path, key],
        message: 'We only support `where`, `order`, `limit`, `offset`, `before`, and `after` clauses.',
      });
    if (depth > 0 && TOP_LEVEL_ONLY.includes(key))
      errors.push({
        in: [...path, key],
        message: 'We currently only support `offset`, `before`, and `after` clauses on the top-level field.',
      });
  }
  const limits = ['limit', 'first', 'last'].filter((key) => key in options);
  if (limits.length > 1) errors.push({ in: path, message: 'Only provide one of `limit` or `first`.' });
  for (const key of limits) {
    const value = options[key];
    if (!Number.isInteger(value) || (value as number) <= 0)
      errors.push({
        in: [...path, key],
        message: `The ${key} field must be a positive integer. Got ${JSON.stringify(value)}.`,
      });
  }
  if ('offset' in options && (!Number.isInteger(options.offset) || (options.offset as number) < 0)) {
    errors.push({
      in: [...path, 'offset'],
      message: `The offset field must be a non-negative integer. Got ${JSON.stringify(options.offset)}.`,
    });
  }
  if ('where' in options && !isPlainObject(options.where))
    errors.push({ in: [...path, 'where'], message: 'The `where` clause must be an object.' });
  if (
    'fields' in options &&
    !(Array.isArray(options.fields) && options.fields.every((field) => typeof field === 'string'))
  ) {
    errors.push({ in: [...path, 'fields'], message: 'The `fields` property should be an array of field names.' });
  }
  const order = options.order;
  if (order !== undefined) {
    const keys = isPlainObject(order) ? Object.keys(order) : [];
    if (keys.length !== 1)
      errors.push({
        in: [...path, 'order'],
        message: `We only support a single key in the \`order\` clause. Got ${keys.join(',')}.`,
      });
    else if (!['asc', 'desc'].includes(String((order as Record<string, unknown>)[keys[0]!]))) {
      errors.push({ in: [...path, 'order'], message: 'We only support "asc" or "desc" in the `order` clause.' });
    }
  }
}
