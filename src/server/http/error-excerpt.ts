/** How much of a request an error answer may repeat back. */
const LIMITS = { depth: 12, items: 10, keys: 20, string: 200, message: 2000 } as const;

/**
 * A bounded copy of a value for an error answer: Instant's hints repeat the offending input, but a
 * 31 MB body with one bad step must not come back as a 31 MB error. Strings are cut at 200
 * characters, arrays at 10 items and objects at 20 keys (each with a note of what was left out), and
 * nesting below 12 levels becomes `"…"`. Small inputs come back unchanged.
 *
 * @example
 * excerpt(Array.from({ length: 100_000 }, () => ['update', 'goals', 'x', {}])) // 10 steps and '… 99990 more'
 */
export function excerpt(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.length > LIMITS.string ? `${value.slice(0, LIMITS.string)}… (${value.length} characters)` : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= LIMITS.depth) return '…';
  if (Array.isArray(value)) {
    const kept = value.slice(0, LIMITS.items).map((item) => excerpt(item, depth + 1));
    return value.length > LIMITS.items ? [...kept, `… ${value.length - LIMITS.items} more`] : kept;
  }
  const entries = Object.entries(value);
  const kept = entries.slice(0, LIMITS.keys).map(([key, item]) => [excerpt(key), excerpt(item, depth + 1)]);
  if (entries.length > LIMITS.keys) kept.push(['…', `${entries.length - LIMITS.keys} more keys`]);
  return Object.fromEntries(kept);
}

/**
 * An error message cut to 2,000 characters (a message can list every id of a huge transaction).
 */
export function excerptMessage(message: string): string {
  return message.length > LIMITS.message
    ? `${message.slice(0, LIMITS.message)}… (${message.length} characters)`
    : message;
}
