import { ApiError } from '../api/api-error.ts';
import { isPlainObject } from '../../protocol/json.ts';

/** True when a string anywhere in `value` (a key or a value, at any depth) holds U+0000. */
function hasNulByte(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNulByte);
  if (isPlainObject(value))
    return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || hasNulByte(inner));
  return false;
}

/**
 * Rejects a value Postgres cannot store because a string in it holds a NUL character, with Instant's
 * message (its answer to Postgres' `untranslatable-character` error).
 *
 * @example
 * checkNoNulBytes('Hello\u0000World') // throws validation-failed
 */
export function checkNoNulBytes(value: unknown): void {
  if (!hasNulByte(value)) return;
  throw new ApiError(
    400,
    'validation-failed',
    'A value in the transaction contains null bytes, which cannot be stored.',
    { condition: 'untranslatable-character' },
  );
}
