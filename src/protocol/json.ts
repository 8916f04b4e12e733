/** A value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | JsonObject;

/** A JSON object with JSON values. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/**
 * True for `{...}` objects (prototype `Object.prototype` or `null`), false for arrays, class instances, etc.
 *
 * @example
 * isPlainObject({}) // true
 * isPlainObject(new Map()) // false
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Sets `key` on `target` as an own enumerable property, `__proto__` included (plain assignment would
 * change the object's prototype instead): for objects keyed by names that come from requests.
 *
 * @example
 * const row: Record<string, unknown> = {};
 * setField(row, '__proto__', 1);
 * Object.keys(row) // ['__proto__']
 */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
