import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import type { JsonObject, JsonValue } from '../protocol/json.ts';
import { isPlainObject } from '../protocol/json.ts';
import { hasNulCharacter, MAX_JSON_DEPTH, NUL_CHARACTER_MESSAGE, TOO_DEEP_MESSAGE } from '../protocol/json-limits.ts';
import { copyPlainObject } from './fast-copy.ts';
import { formatPath, type PathSegment } from './path.ts';

export { isPlainObject };

/** Where a value being copied sits, for error paths, and the problems found so far. */
interface CopyContext {
  readonly base: string;
  /** How many levels of arrays and objects of the wire step enclose the copied value. */
  readonly outer: number;
  readonly segments: PathSegment[];
  readonly ancestors: object[];
  readonly issues: ValidationIssue[];
}

/**
 * Deep-copies a value into frozen JSON: `Date` becomes its ISO string and `undefined` object properties
 * are dropped, as `JSON.stringify` would. Everything JSON would silently corrupt (NaN, ±Infinity,
 * functions, symbols, bigint, class instances, cycles, invalid dates, `undefined` in arrays) and
 * everything Instant would refuse (strings or keys with a NUL character, nesting deeper than
 * {@link MAX_JSON_DEPTH} levels) is recorded in `issues` with its path instead, and `undefined` is
 * returned for it. `outer` is how many levels of the wire step enclose the value (0 for a whole step).
 *
 * @example
 * const issues: ValidationIssue[] = [];
 * copyJson({ at: new Date(0) }, 'goals[1].update', issues) // { at: '1970-01-01T00:00:00.000Z' }
 */
export function copyJson(value: unknown, base: string, issues: ValidationIssue[], outer = 0): JsonValue | undefined {
  return copyValue(value, { base, outer, segments: [], ancestors: [], issues });
}

/**
 * Like {@link copyJson} but requires a plain object at the top (the attrs of `update`, `merge`, ...),
 * which sits one level inside its step.
 * `base` is a function so the path string is only built when there is a problem to report.
 */
export function copyJsonObject(value: unknown, base: () => string, issues: ValidationIssue[]): JsonObject | undefined {
  // The one-pass copy first (the attrs of a step sit at level 2); the checked walk names each problem.
  return copyPlainObject(value, 2) ?? copyNestedObject(value, base(), issues);
}

function copyNestedObject(value: unknown, base: string, issues: ValidationIssue[]): JsonObject | undefined {
  if (!isPlainObject(value)) {
    issues.push(createIssue('invalid-argument', base, `expected a plain object, got ${describeValue(value)}`));
    return undefined;
  }
  return copyObject(value, { base, outer: 1, segments: [], ancestors: [], issues });
}

function copyValue(value: unknown, ctx: CopyContext): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
      return hasNulCharacter(value) ? reject(ctx, `the string ${NUL_CHARACTER_MESSAGE}`) : value;
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value === 0 ? 0 : value; // -0 has no JSON form
      return reject(ctx, `${value} is not a JSON number (it would be sent as null)`);
    case 'object':
      if (value === null) return null;
      if (Array.isArray(value)) return copyArray(value, ctx);
      if (value instanceof Date) return copyDate(value, ctx);
      if (isPlainObject(value)) return copyObject(value, ctx);
      return reject(ctx, `${describeValue(value)} is not JSON data; pass a plain object, array or Date`);
    case 'undefined':
      return reject(ctx, 'undefined cannot be sent; use null or leave the key out');
    default:
      return reject(ctx, `a ${typeof value} is not JSON data`);
  }
}

function copyObject(value: object, ctx: CopyContext): JsonObject | undefined {
  if (ctx.ancestors.includes(value)) return reject(ctx, 'cyclic reference');
  if (isTooDeep(ctx)) return rejectTooDeep(ctx);
  ctx.ancestors.push(value);
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    ctx.segments.push(key);
    const copied = hasNulCharacter(key) ? reject(ctx, `the key ${NUL_CHARACTER_MESSAGE}`) : copyValue(item, ctx);
    ctx.segments.pop();
    if (copied === undefined) continue;
    if (key === '__proto__')
      Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true });
    else out[key] = copied;
  }
  ctx.ancestors.pop();
  return Object.freeze(out);
}

function copyArray(value: readonly unknown[], ctx: CopyContext): readonly JsonValue[] | undefined {
  if (ctx.ancestors.includes(value)) return reject(ctx, 'cyclic reference');
  if (isTooDeep(ctx)) return rejectTooDeep(ctx);
  ctx.ancestors.push(value);
  const out: JsonValue[] = new Array(value.length);
  for (let index = 0; index < value.length; index++) {
    ctx.segments.push(index);
    const item = value[index];
    const copied =
      item === undefined ? reject(ctx, 'undefined in an array would be sent as null; use null') : copyValue(item, ctx);
    ctx.segments.pop();
    out[index] = copied ?? null;
  }
  ctx.ancestors.pop();
  return Object.freeze(out);
}

function copyDate(value: Date, ctx: CopyContext): string | undefined {
  if (Number.isNaN(value.getTime())) return reject(ctx, 'invalid Date');
  return value.toISOString();
}

/** True when an array or object at the current path would be nested deeper than {@link MAX_JSON_DEPTH}. */
function isTooDeep(ctx: CopyContext): boolean {
  return ctx.outer + ctx.segments.length + 1 > MAX_JSON_DEPTH;
}

function rejectTooDeep(ctx: CopyContext): undefined {
  return reject(ctx, TOO_DEEP_MESSAGE);
}

function reject(ctx: CopyContext, message: string): undefined {
  ctx.issues.push(createIssue('invalid-value', formatPath(ctx.base, ctx.segments), message));
  return undefined;
}

/**
 * A short description of a value's kind for error messages (never the value itself, which may be secret).
 *
 * @example
 * describeValue(new Map()) // 'a Map instance'
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name && name !== 'Object' ? `a ${name} instance` : 'an object';
  }
  return `a ${typeof value}`;
}
