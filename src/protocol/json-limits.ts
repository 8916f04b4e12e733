/**
 * The most levels of arrays and objects one step may nest, counting the step tuple itself as level 1
 * and its attrs object as level 2 (so an attribute's value may nest 98 more). Far beyond real data,
 * like the limits of other JSON libraries (Ruby's and protobuf's parsers stop at 100), and far below
 * what would overflow the call stack of a recursive copy or of `JSON.stringify`. Deeper values are
 * rejected with an `InstantValidationError` naming the path, never a `RangeError`.
 *
 * @example
 * MAX_JSON_DEPTH // 100
 */
export const MAX_JSON_DEPTH = 100;

/**
 * True when `text` holds a NUL character (`\u0000`). Instant stores strings in Postgres `text` and
 * `jsonb`, which cannot hold NUL, so its server rejects them; instant-tx rejects them before sending.
 *
 * @example
 * hasNulCharacter('a\u0000b') // true
 */
export function hasNulCharacter(text: string): boolean {
  return text.includes('\u0000');
}

/**
 * True when a key or a string anywhere in `value` (at any depth) holds U+0000, which Instant cannot
 * store (Postgres `text` and `jsonb` refuse it). Recursive: for parsed JSON already bounded in depth.
 *
 * @example
 * containsNulCharacter({ a: ['x\u0000'] }) // true
 */
export function containsNulCharacter(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(containsNulCharacter);
  for (const key of Object.keys(value))
    if (key.includes('\u0000') || containsNulCharacter((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** What an issue says about a string with a NUL character. */
export const NUL_CHARACTER_MESSAGE = 'contains a NUL character (\\u0000), which Instant cannot store';

/** What an issue says about a value nested deeper than {@link MAX_JSON_DEPTH}. */
export const TOO_DEEP_MESSAGE = `nested more than ${MAX_JSON_DEPTH} levels deep (counting the step itself; see MAX_JSON_DEPTH)`;
