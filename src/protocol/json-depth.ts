/**
 * The deepest nesting Instant's server reads: its JSON reader (Jackson) refuses past 1,000 levels, so
 * no request, and no backup Instant wrote, holds anything deeper.
 *
 * @example
 * INSTANT_MAX_JSON_DEPTH // 1000
 */
export const INSTANT_MAX_JSON_DEPTH = 1000;

/**
 * Deepest nesting of objects and arrays in a JSON text, counted in one linear pass over the characters
 * (brackets inside strings do not count), stopping as soon as `limit` is exceeded. Run before
 * `JSON.parse`, so a body nested 10,000 deep is refused before anything recursive touches it.
 *
 * @example
 * jsonDepthExceeds('[[[1]]]', 2) // true
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}
