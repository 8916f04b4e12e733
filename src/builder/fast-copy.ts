import type { JsonValue } from '../protocol/json.ts';
import { hasNulCharacter, MAX_JSON_DEPTH } from '../protocol/json-limits.ts';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Copies and checks plain JSON data in one pass, building no path strings and freezing nothing: the
 * private copy a recorded step keeps. `level` is how deep the object sits in its wire step (the step
 * tuple is level 1, so the attrs of `update` are level 2).
 *
 * Returns `undefined` for anything it does not take as it is: every value the checked walk of
 * `copyJson` would refuse (NaN, a NUL character, `undefined` in an array, a class instance, a cycle,
 * nesting past {@link MAX_JSON_DEPTH}, ...) and the rare good values that need its care (an own
 * `__proto__` key, an inherited enumerable key). The caller then makes that second, checked walk, which
 * names the path of every problem, so the error path alone pays for paths. A cycle is caught by the
 * depth limit here, so this walk needs no ancestor list.
 *
 * @example
 * copyPlainObject({ title: 'Get fit', tags: ['a'] }, 2) // { title: 'Get fit', tags: ['a'] } (a new object)
 * copyPlainObject({ n: Number.NaN }, 2) // undefined
 */
export function copyPlainObject(value: unknown, level: number): Record<string, JsonValue> | undefined {
  if (typeof value !== 'object' || value === null || level > MAX_JSON_DEPTH) return undefined;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const source = value as Record<string, unknown>;
  const out: Record<string, JsonValue> = {};
  for (const key in source) {
    if (!hasOwn.call(source, key) || key === '__proto__' || hasNulCharacter(key)) return undefined;
    const item = source[key];
    if (item === undefined) continue; // dropped, as JSON.stringify drops it
    const copied = copyItem(item, level + 1);
    if (copied === undefined) return undefined;
    out[key] = copied;
  }
  return out;
}

function copyArray(value: readonly unknown[], level: number): JsonValue[] | undefined {
  if (level > MAX_JSON_DEPTH) return undefined;
  const length = value.length;
  const out: JsonValue[] = new Array(length);
  for (let index = 0; index < length; index++) {
    const copied = copyItem(value[index], level + 1);
    if (copied === undefined) return undefined; // `undefined` (or a hole) in an array is refused too
    out[index] = copied;
  }
  return out;
}

/** One value at `level` (the level its own array or object would have). */
function copyItem(item: unknown, level: number): JsonValue | undefined {
  switch (typeof item) {
    case 'string':
      return hasNulCharacter(item) ? undefined : item;
    case 'number':
      if (!Number.isFinite(item)) return undefined;
      return item === 0 ? 0 : item; // -0 has no JSON form
    case 'boolean':
      return item;
    case 'object':
      if (item === null) return null;
      if (Array.isArray(item)) return copyArray(item, level);
      if (item instanceof Date) return Number.isNaN(item.getTime()) ? undefined : item.toISOString();
      return copyPlainObject(item, level);
    default:
      return undefined;
  }
}
