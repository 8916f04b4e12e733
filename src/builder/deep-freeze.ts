/**
 * Freezes a private copy in place, innermost values first, so a frozen object's contents are always
 * frozen too and the walk stops at the first frozen object it meets. Only for the builder's own copies
 * (trees of at most `MAX_JSON_DEPTH` levels), never for a caller's value.
 *
 * @example
 * const attrs = deepFreeze({ meta: { tags: ['a'] } });
 * Object.isFrozen(attrs.meta.tags) // true
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}
