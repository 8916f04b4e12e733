import type { JsonValue } from './json.ts';

/**
 * Prefix of Instant's string form of a lookup: `lookup__<attr>__<json value>`.
 *
 * @example
 * 'lookup__email__"a@b.co"'.startsWith(LOOKUP_STRING_PREFIX) // true
 */
export const LOOKUP_STRING_PREFIX = 'lookup__';

/**
 * Writes Instant's wire string for a lookup inside a link target, e.g. `lookup__email__"a@b.co"`.
 * The server splits it on `__`, so an attribute containing `__` cannot be written this way.
 *
 * @example
 * formatLookupString('email', 'a@b.co') // 'lookup__email__"a@b.co"'
 */
export function formatLookupString(attribute: string, value: JsonValue): string {
  return `${LOOKUP_STRING_PREFIX}${attribute}__${JSON.stringify(value)}`;
}

/**
 * True when `attribute` survives Instant's `__` split of a lookup string: it must not contain `__`
 * nor end with `_` (`lookup__a___1` would read as attribute `a`, value `_1`).
 *
 * @example
 * canWriteLookupString('email') // true
 * canWriteLookupString('a__b') // false
 */
export function canWriteLookupString(attribute: string): boolean {
  return !attribute.includes('__') && !attribute.endsWith('_');
}

/**
 * Reads Instant's lookup string the way the server does (split on `__`, the value is everything after
 * the second `__`, JSON-parsed). Returns `undefined` for a string that is not a valid lookup.
 *
 * @example
 * parseLookupString('lookup__email__"a@b.co"') // ['email', 'a@b.co']
 */
export function parseLookupString(text: string): readonly [string, JsonValue] | undefined {
  if (!text.startsWith(LOOKUP_STRING_PREFIX)) return undefined;
  const [, attribute, ...rest] = text.split('__');
  if (attribute === undefined || attribute === '' || rest.length === 0) return undefined;
  try {
    return [attribute, JSON.parse(rest.join('__')) as JsonValue];
  } catch {
    return undefined;
  }
}
