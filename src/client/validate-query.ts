import { describeValue } from '../builder/copy-json.ts';
import { scanJson } from '../builder/find-too-deep.ts';
import { formatPath } from '../builder/path.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import { isPlainObject } from '../protocol/json.ts';
import { MAX_JSON_DEPTH } from '../protocol/json-limits.ts';
import { indexSchema, type NamespaceInfo, type SchemaIndex } from '../schema/schema-index.ts';
import { checkWhere, suggest } from './validate-where.ts';

/** The `$` options Instant accepts (the official SDK's list, which the server shares). */
const OPTIONS = [
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
  'fields',
  'aggregate',
] as const;
const OPTION_SET: ReadonlySet<string> = new Set(OPTIONS);
/** Pagination the server computes only for top-level namespaces; the official SDK refuses it in nested nodes. */
const TOP_LEVEL_ONLY: ReadonlySet<string> = new Set([
  'first',
  'last',
  'offset',
  'before',
  'after',
  'beforeInclusive',
  'afterInclusive',
]);

/** The namespace a node queries and where the node sits. */
interface NodeContext {
  readonly schema: SchemaIndex;
  readonly ns: NamespaceInfo;
  readonly path: string;
  readonly depth: number;
  readonly issues: ValidationIssue[];
}

/**
 * Checks an InstaQL query against a schema before it is sent, as the official SDK does, and returns
 * every problem, each with its path (`goals.$.where.titel`): unknown namespaces and link labels, unknown
 * `$` options and pagination in nested nodes, `where` problems (see `checkWhere`), `order` that is not
 * `{attr: 'asc' | 'desc'}` on a known attribute or `serverCreatedAt`, `limit`/`first`/`last` that are
 * not positive integers (and more than one of them), `offset` that is not a non-negative integer,
 * cursors that are not arrays and `fields` naming unknown attributes. `$users` and `$files` are known
 * even when the schema does not declare them.
 *
 * @example
 * validateQuery({ goalz: {} }, indexSchema(schema)) // [{ code: 'unknown-namespace', path: 'goalz', … }]
 */
export function validateQuery(query: unknown, schema: SchemaIndex): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isPlainObject(query)) {
    issues.push(
      createIssue('invalid-argument', 'query', `expected an object of namespaces, got ${describeValue(query)}`),
    );
    return issues;
  }
  for (const name of Object.keys(query)) {
    if (name === '$$ruleParams' || query[name] === undefined) continue;
    const ns = schema.namespaces.get(name);
    const path = formatPath('', [name]);
    if (ns) checkNode(query[name], { schema, ns, path, depth: 0, issues });
    else
      issues.push(
        createIssue(
          'unknown-namespace',
          path,
          `'${name}' is not a namespace in the schema${suggest(name, schema.namespaces.keys())}; known: ${[...schema.namespaces.keys()].join(', ')}`,
        ),
      );
  }
  return issues;
}

/**
 * Throws an {@link InstantValidationError} for what `JSON.stringify` would fail on or silently change in
 * the query or its `ruleParams` (nesting past `MAX_JSON_DEPTH`, `NaN`/`±Infinity`, which would go as
 * `null`: `limit: NaN` silently meaning "no limit"); then, with a `schema`, one listing every problem of
 * the query against it.
 *
 * @example
 * assertValidQuery({ goals: { $: { limit: 0 } } }, schema) // throws: goals.$.limit: expected a positive integer, got 0
 */
export function assertValidQuery(query: unknown, schema: unknown, ruleParams?: unknown): void {
  const scans = [
    { root: 'query', scan: scanJson(query, 0) },
    { root: 'ruleParams', scan: scanJson(ruleParams, 0) },
  ];
  for (const { root, scan } of scans)
    if (scan.tooDeep)
      throw invalidQuery(formatPath(root, scan.tooDeep), `nested more than ${MAX_JSON_DEPTH} levels deep`);
  for (const { root, scan } of scans)
    if (scan.nonFinite)
      throw invalidQuery(
        formatPath(root, scan.nonFinite.path),
        `${scan.nonFinite.value} is not a JSON number (it would be sent as null); pass a finite number`,
      );
  if (schema === undefined || schema === null) return;
  const issues = validateQuery(query, indexSchema(schema));
  if (issues.length > 0) throw new InstantValidationError(issues, 'query');
}

function invalidQuery(path: string, message: string): InstantValidationError {
  return new InstantValidationError([createIssue('invalid-argument', path, message)], 'query');
}

function checkNode(node: unknown, ctx: NodeContext): void {
  const { ns, path, issues } = ctx;
  if (!isPlainObject(node)) {
    issues.push(
      createIssue(
        'invalid-argument',
        path,
        `expected a query node ({} or {$: {...}, <link>: {...}}), got ${describeValue(node)}`,
      ),
    );
    return;
  }
  if (ctx.depth > MAX_JSON_DEPTH) {
    issues.push(createIssue('invalid-argument', path, `links nested more than ${MAX_JSON_DEPTH} levels deep`));
    return;
  }
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (value === undefined) continue;
    const at = formatPath(path, [key]);
    if (key === '$') {
      checkOptions(value, { ...ctx, path: at });
      continue;
    }
    const link = ns.links.get(key);
    const target = link && ctx.schema.namespaces.get(link.target);
    if (target) checkNode(value, { ...ctx, ns: target, path: at, depth: ctx.depth + 1 });
    else
      issues.push(
        createIssue(
          'unknown-link',
          at,
          `'${ns.name}' has no link '${key}'${suggest(key, ns.links.keys())}; known links: ${[...ns.links.keys()].join(', ') || 'none'}`,
        ),
      );
  }
}

function checkOptions(options: unknown, ctx: NodeContext): void {
  const { path, issues } = ctx;
  if (!isPlainObject(options)) {
    issues.push(createIssue('invalid-argument', path, `expected an object of options, got ${describeValue(options)}`));
    return;
  }
  const keys = Object.keys(options).filter((key) => options[key] !== undefined);
  for (const key of keys) {
    const at = formatPath(path, [key]);
    if (!OPTION_SET.has(key))
      issues.push(
        createIssue(
          'unknown-option',
          at,
          `unknown query option '${key}'${suggest(key, OPTIONS)}; expected one of ${OPTIONS.join(', ')}`,
        ),
      );
    else if (ctx.depth > 0 && TOP_LEVEL_ONLY.has(key))
      issues.push(
        createIssue('invalid-argument', at, `'${key}' works only on top-level namespaces, not in nested queries`),
      );
    else checkOption(key, options[key], { ...ctx, path: at });
  }
  const limits = keys.filter((key) => key === 'limit' || key === 'first' || key === 'last');
  if (limits.length > 1) issues.push(createIssue('invalid-argument', path, `give only one of ${limits.join(', ')}`));
}

function checkOption(key: string, value: unknown, ctx: NodeContext): void {
  const { path, issues } = ctx;
  switch (key) {
    case 'where':
      checkWhere(value, ctx.ns, ctx.schema, path, issues, 0);
      return;
    case 'order':
      checkOrder(value, ctx);
      return;
    case 'fields':
      checkFields(value, ctx);
      return;
    case 'limit':
    case 'first':
    case 'last':
      if (!Number.isInteger(value) || (value as number) <= 0)
        issues.push(createIssue('wrong-type', path, `expected a positive integer, got ${show(value)}`));
      return;
    case 'offset':
      if (!Number.isInteger(value) || (value as number) < 0)
        issues.push(createIssue('wrong-type', path, `expected a non-negative integer, got ${show(value)}`));
      return;
    case 'before':
    case 'after':
      if (!Array.isArray(value))
        issues.push(createIssue('wrong-type', path, `expected a cursor (an array), got ${describeValue(value)}`));
      return;
    case 'beforeInclusive':
    case 'afterInclusive':
      if (typeof value !== 'boolean')
        issues.push(createIssue('wrong-type', path, `expected true or false, got ${describeValue(value)}`));
      return;
    default:
      return; // aggregate: the server checks it
  }
}

function checkOrder(order: unknown, { ns, path, issues }: NodeContext): void {
  const keys = isPlainObject(order) ? Object.keys(order) : [];
  if (keys.length !== 1) {
    issues.push(
      createIssue(
        'invalid-argument',
        path,
        `expected {<attribute>: 'asc' | 'desc'} with exactly one key, got ${isPlainObject(order) ? `${keys.length} keys` : describeValue(order)}`,
      ),
    );
    return;
  }
  const key = keys[0]!;
  const at = formatPath(path, [key]);
  if (key !== 'serverCreatedAt' && !ns.attrs.has(key)) {
    issues.push(
      createIssue(
        'unknown-attribute',
        at,
        `'${ns.name}' has no attribute '${key}' to order by${suggest(key, ns.attrs.keys())} (or use serverCreatedAt)`,
      ),
    );
  }
  const direction = (order as Record<string, unknown>)[key];
  if (direction !== 'asc' && direction !== 'desc')
    issues.push(createIssue('invalid-argument', at, `expected 'asc' or 'desc', got ${show(direction)}`));
}

function checkFields(fields: unknown, { ns, path, issues }: NodeContext): void {
  if (!Array.isArray(fields)) {
    issues.push(createIssue('wrong-type', path, `expected an array of attribute names, got ${describeValue(fields)}`));
    return;
  }
  fields.forEach((field: unknown, index) => {
    const at = `${path}[${index}]`;
    if (typeof field !== 'string')
      issues.push(createIssue('wrong-type', at, `expected an attribute name, got ${describeValue(field)}`));
    else if (field !== 'id' && !ns.attrs.has(field) && !ns.links.has(field)) {
      issues.push(
        createIssue(
          'unknown-attribute',
          at,
          `'${ns.name}' has no attribute '${field}'${suggest(field, ns.attrs.keys())}`,
        ),
      );
    }
  });
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : describeValue(value);
}
