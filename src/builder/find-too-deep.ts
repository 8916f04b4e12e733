import { MAX_JSON_DEPTH } from '../protocol/json-limits.ts';
import type { PathSegment } from './path.ts';

/**
 * The path to the first array or object in `value` nested deeper than {@link MAX_JSON_DEPTH} levels,
 * given that `outer` levels of the wire step enclose `value`; `undefined` when there is none. Recursion
 * stops at the limit, so even a 10,000-deep value cannot overflow the stack here; a cycle is left for
 * the JSON copy to report.
 *
 * @example
 * findTooDeep({ a: { a: {} } }, 99) // ['a']
 */
export function findTooDeep(value: unknown, outer: number): PathSegment[] | undefined {
  return walk(value, outer + 1, [], new Set());
}

function walk(value: unknown, level: number, path: PathSegment[], ancestors: Set<object>): PathSegment[] | undefined {
  if (typeof value !== 'object' || value === null || ancestors.has(value)) return undefined;
  if (level > MAX_JSON_DEPTH) return path;
  ancestors.add(value);
  const entries: [PathSegment, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    path.push(key);
    const found = walk(item, level + 1, path, ancestors);
    if (found) return found;
    path.pop();
  }
  ancestors.delete(value);
  return undefined;
}
