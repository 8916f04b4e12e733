import { isPlainObject } from '../../protocol/json.ts';

/**
 * Instant's deep merge of a JSON attribute (Postgres `jsonb_deep_merge`): when either side is not an
 * object (or the old value is missing) the patch replaces it; otherwise keys merge recursively, and a
 * `null` inside a nested object deletes that key. Arrays and scalars replace.
 *
 * @example
 * deepMerge({ a: 1, b: { c: 2, d: 3 } }, { b: { c: null, e: 4 } }) // { a: 1, b: { d: 3, e: 4 } }
 */
export function deepMerge(old: unknown, patch: unknown): unknown {
  if (!isPlainObject(old) || !isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = { ...old };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = deepMerge(out[key], value);
  }
  return out;
}
