const hasOwn = Object.prototype.hasOwnProperty;

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
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (typeof item === 'object' && item !== null) deepFreeze(item);
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (!hasOwn.call(record, key)) continue;
      const item = record[key];
      if (typeof item === 'object' && item !== null) deepFreeze(item);
    }
  }
  return Object.freeze(value);
}
