/**
 * Base class of every error instant-tx throws on purpose, so callers can catch them all with one check.
 *
 * @example
 * try { compile(chunk) } catch (error) { if (isInstantError(error)) console.error(error.name) }
 */
export class InstantError extends Error {
  override name = 'InstantError';
}

/**
 * True when `value` is an {@link InstantError}, compared by name so it works across package copies.
 *
 * @example
 * if (isInstantError(error)) report(error.message)
 */
export function isInstantError(value: unknown): value is InstantError {
  return value instanceof Error && typeof value.name === 'string' && value.name.startsWith('Instant');
}
