/**
 * The brand every instant-tx error carries on its prototype. A registered symbol, so an error made by
 * another copy of the package (two versions in one `node_modules`, a bundled copy) carries the same one.
 */
export const INSTANT_ERROR_BRAND: unique symbol = Symbol.for('instant-tx.error') as never;

/**
 * Base class of every error instant-tx throws on purpose, so callers can catch them all with one check.
 *
 * @example
 * try { compile([tx.goals[goalId].update({ score: Number.NaN })]) }
 * catch (error) { if (error instanceof InstantError) console.error(error.name) } // 'InstantValidationError'
 */
export class InstantError extends Error {
  override name = 'InstantError';

  /** The brand {@link isInstantError} looks for; an accessor on the prototype, so nothing runs at load. */
  get [INSTANT_ERROR_BRAND](): true {
    return true;
  }
}

/**
 * True when `value` is an error instant-tx threw: any subclass of {@link InstantError}, including
 * `UnknownOperationError`, and including errors from another copy of the package (it checks the
 * {@link INSTANT_ERROR_BRAND}, not `instanceof` nor the class name).
 *
 * @example
 * try { await db.query({ goals: {} }) }
 * catch (error) { if (isInstantError(error)) console.error(error.message); else throw error }
 */
export function isInstantError(value: unknown): value is InstantError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [INSTANT_ERROR_BRAND]?: unknown })[INSTANT_ERROR_BRAND] === true
  );
}
