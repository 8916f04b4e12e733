import { ApiError } from '../api/api-error.ts';
import { containsNulCharacter } from '../../protocol/json-limits.ts';

/**
 * Rejects a value Postgres cannot store because a string in it holds a NUL character, with Instant's
 * message (its answer to Postgres' `untranslatable-character` error).
 *
 * @example
 * checkNoNulBytes('Hello\u0000World') // throws validation-failed
 */
export function checkNoNulBytes(value: unknown): void {
  if (!containsNulCharacter(value)) return;
  throw new ApiError(
    400,
    'validation-failed',
    'A value in the transaction contains null bytes, which cannot be stored.',
    { condition: 'untranslatable-character' },
  );
}
