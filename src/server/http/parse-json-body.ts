/** A request body as parsed, with the source digits of integers too large for a double. */
export interface ParsedBody {
  readonly value: unknown;
  /**
   * For each integer in the body beyond 2^53 (which `JSON.parse` rounds to a double), its digits as
   * sent, keyed by the double: Instant (on the JVM) keeps such numbers exact and prints them back in
   * its error messages. Empty for nearly every body.
   */
  readonly numberText: ReadonlyMap<number, string>;
}

/** A run of 16 or more digits: the only way a JSON integer can be beyond 2^53. */
const LONG_DIGITS = /\d{16}/;

/**
 * Parses JSON text (throws `SyntaxError` like `JSON.parse`). The slower pass that reads number
 * sources (`JSON.parse`'s reviver context) runs only when the text has a run of 16 digits.
 *
 * @example
 * parseJsonBody('{"n": 9999999999999999999999}').numberText.get(1e22) // '9999999999999999999999'
 */
export function parseJsonBody(text: string): ParsedBody {
  if (!LONG_DIGITS.test(text)) return { value: JSON.parse(text), numberText: new Map() };
  const numberText = new Map<number, string>();
  const value = JSON.parse(text, (_key, item: unknown, context?: { source?: string }) => {
    const source = context?.source;
    if (typeof item === 'number' && !Number.isSafeInteger(item) && source && /^-?\d+$/.test(source))
      numberText.set(item, source);
    return item;
  });
  return { value, numberText };
}
