const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a 36-character UUID string in any case, the form Instant accepts as an entity id.
 *
 * @example
 * isUuid('8aa64e4c-64f9-472e-8a61-3fa28870e6cb') // true
 * isUuid('goal-1') // false
 */
export function isUuid(value: unknown): boolean {
  return typeof value === 'string' && value.length === 36 && UUID_PATTERN.test(value);
}
