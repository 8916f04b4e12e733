/**
 * Equality of a stored value and a query value: strict, except that two 36-character strings (entity
 * ids) compare case-insensitively.
 *
 * @example
 * equalValues('8AA64E4C-64F9-472E-8A61-3FA28870E6CB', '8aa64e4c-64f9-472e-8a61-3fa28870e6cb') // true
 */
export function equalValues(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && a.length === 36 && b.length === 36)
    return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/**
 * Orders two stored values for sorting: `null`/missing first, numbers numerically, booleans `false`
 * before `true`, strings by code unit; values of different types by their string forms.
 *
 * @example
 * [3, null, 1].sort(compareValues) // [null, 1, 3]
 */
export function compareValues(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const [x, y] = typeof a === 'string' && typeof b === 'string' ? [a, b] : [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Compares a stored value with a comparison operand of the attribute's type, or `undefined` when the
 * stored value is missing or of another type (it then matches no comparison).
 *
 * @example
 * compareTyped(3, 2) // 1
 * compareTyped('3', 2) // undefined
 */
export function compareTyped(stored: unknown, operand: string | number | boolean): number | undefined {
  if (typeof stored !== typeof operand || (typeof stored === 'number' && Number.isNaN(stored))) return undefined;
  return compareValues(stored, operand);
}
