/**
 * A stored value as Instant's CEL sees it: Instant hands rules integral numbers as longs (CEL `int`)
 * and others as doubles, so `data.n % 2 == 0` and `data.n + 1 == 3` work there. JavaScript has one
 * number type, which cel-js reads as `double` (where `%` and `int + double` do not exist); integral
 * numbers are therefore passed as `BigInt`, cel-js's `int`. Objects and arrays are converted inside.
 */
export function toCelValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== 'object' || depth > 1000) return value;
  if (Array.isArray(value)) return value.map((item) => toCelValue(item, depth + 1));
  if (value instanceof Date) return value;
  const converted: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) converted[key] = toCelValue(item, depth + 1);
  return converted;
}
