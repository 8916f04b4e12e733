import { MAX_JSON_DEPTH } from '../protocol/json-limits.ts';
import type { PathSegment } from './path.ts';

/** What {@link scanJson} finds in a value before it is serialised. */
export interface JsonScan {
  /** The path to the first array or object nested deeper than {@link MAX_JSON_DEPTH} levels. */
  readonly tooDeep?: PathSegment[];
  /** The first number JSON cannot carry (`NaN`, `±Infinity`: `JSON.stringify` writes `null`). */
  readonly nonFinite?: { readonly path: PathSegment[]; readonly value: number };
}

/**
 * Walks `value` once, given that `outer` levels of the wire step enclose it, for what `JSON.stringify`
 * would fail on or silently change: nesting past {@link MAX_JSON_DEPTH} levels and non-finite numbers.
 * Recursion stops at the limit, so even a 10,000-deep value cannot overflow the stack here; a cycle is
 * left for the serialiser to report.
 *
 * @example
 * scanJson({ a: { n: Number.NaN } }, 0) // { nonFinite: { path: ['a', 'n'], value: NaN } }
 */
export function scanJson(value: unknown, outer: number): JsonScan {
  const found: { tooDeep?: PathSegment[]; nonFinite?: { path: PathSegment[]; value: number } } = {};
  walk(value, outer + 1, [], new Set(), found);
  return found;
}

/**
 * The path to the first array or object in `value` nested deeper than {@link MAX_JSON_DEPTH} levels,
 * given that `outer` levels of the wire step enclose `value`; `undefined` when there is none.
 *
 * @example
 * findTooDeep({ a: { a: {} } }, 99) // ['a']
 */
export function findTooDeep(value: unknown, outer: number): PathSegment[] | undefined {
  return scanJson(value, outer).tooDeep;
}

/** Returns true once something too deep is found (the walk stops there). */
function walk(
  value: unknown,
  level: number,
  path: PathSegment[],
  ancestors: Set<object>,
  found: { tooDeep?: PathSegment[]; nonFinite?: { path: PathSegment[]; value: number } },
): boolean {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) found.nonFinite ??= { path: [...path], value };
    return false;
  }
  if (typeof value !== 'object' || value === null || ancestors.has(value)) return false;
  if (level > MAX_JSON_DEPTH) {
    found.tooDeep = [...path];
    return true;
  }
  ancestors.add(value);
  const entries: [PathSegment, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    path.push(key);
    if (walk(item, level + 1, path, ancestors, found)) return true;
    path.pop();
  }
  ancestors.delete(value);
  return false;
}
