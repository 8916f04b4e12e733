/**
 * True for a 36-character UUID string in any case, the form Instant accepts as an entity id.
 * Written out by hand: it runs for every id, and a regex test costs several times more.
 *
 * @example
 * isUuid('8aa64e4c-64f9-472e-8a61-3fa28870e6cb') // true
 * isUuid('goal-1') // false
 */
export function isUuid(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== 36) return false;
  for (let index = 0; index < 36; index++) {
    const code = value.charCodeAt(index);
    if (index === 8 || index === 13 || index === 18 || index === 23) {
      if (code !== 45) return false;
    } else if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70))) {
      return false;
    }
  }
  return true;
}
