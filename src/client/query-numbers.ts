import { formatPath, type PathSegment } from '../builder/path.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import { MAX_JSON_DEPTH } from '../protocol/json-limits.ts';

/**
 * An issue for the first number in a query that JSON cannot carry (`NaN`, `±Infinity`): `JSON.stringify`
 * would send it as `null`, so `limit: NaN` would silently become "no limit" and `where: {n: NaN}` a
 * different filter. The walk stops at {@link MAX_JSON_DEPTH} levels (deeper is reported elsewhere) and
 * at cycles (which the serialiser reports).
 *
 * @example
 * nonJsonNumberIssue({ goals: { $: { limit: Number.NaN } } }) // query.goals.$.limit: NaN is not a JSON number …
 */
export function nonJsonNumberIssue(query: unknown, root = 'query'): ValidationIssue | undefined {
  const path: PathSegment[] = [];
  const found = walk(query, 1, path, new Set());
  return found === undefined
    ? undefined
    : createIssue(
        'invalid-argument',
        formatPath(root, path),
        `${found} is not a JSON number (it would be sent as null); pass a finite number`,
      );
}

function walk(value: unknown, level: number, path: PathSegment[], ancestors: Set<object>): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : value;
  if (typeof value !== 'object' || value === null || level > MAX_JSON_DEPTH || ancestors.has(value)) return undefined;
  ancestors.add(value);
  const keys = Array.isArray(value) ? value.keys() : Object.keys(value);
  for (const key of keys) {
    path.push(key);
    const found = walk((value as Record<PathSegment, unknown>)[key], level + 1, path, ancestors);
    if (found !== undefined) return found;
    path.pop();
  }
  ancestors.delete(value);
  return undefined;
}
