/** One `%`-free piece of a LIKE pattern, as characters (code points); `undefined` stands for `_`. */
type Segment = readonly (string | undefined)[];

/**
 * Compiles a SQL `LIKE` pattern into a matcher: `%` matches any run of characters, `_` exactly one,
 * and a backslash makes the next character literal (`\%`, `\_`, `\\`). The whole text must match.
 * Matching never backtracks: the pattern is split at its `%`s, the first and last pieces are pinned to
 * the ends, and each middle piece is taken at its leftmost fit, so a text of n characters is matched in
 * O(n × pattern length) steps whatever the pattern. `caseInsensitive` gives `ILIKE` (both sides
 * lower-cased).
 *
 * @example
 * compileLike('%Monte Cristo', false)('The Count of Monte Cristo') // true
 * compileLike('100\\%', false)('100%') // true; '1000' does not match
 */
export function compileLike(pattern: string, caseInsensitive: boolean): (text: string) => boolean {
  const segments = splitPattern(caseInsensitive ? pattern.toLowerCase() : pattern);
  return (text) => matchSegments(segments, Array.from(caseInsensitive ? text.toLowerCase() : text));
}

function splitPattern(pattern: string): Segment[] {
  const segments: Segment[] = [];
  let current: (string | undefined)[] = [];
  const chars = Array.from(pattern);
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!;
    if (char === '\\' && index + 1 < chars.length) current.push(chars[++index]);
    else if (char === '%') {
      segments.push(current);
      current = [];
    } else current.push(char === '_' ? undefined : char);
  }
  segments.push(current);
  return segments;
}

function matchSegments(segments: readonly Segment[], text: readonly string[]): boolean {
  const first = segments[0]!;
  if (segments.length === 1) return text.length === first.length && fitsAt(first, text, 0);
  const last = segments[segments.length - 1]!;
  const end = text.length - last.length;
  if (end < first.length || !fitsAt(first, text, 0) || !fitsAt(last, text, end)) return false;
  let position = first.length;
  for (const segment of segments.slice(1, -1)) {
    const found = leftmostFit(segment, text, position, end);
    if (found < 0) return false;
    position = found + segment.length;
  }
  return true;
}

/** The first index in [from, end − segment length] where `segment` fits, or −1. */
function leftmostFit(segment: Segment, text: readonly string[], from: number, end: number): number {
  for (let start = from; start + segment.length <= end; start++) if (fitsAt(segment, text, start)) return start;
  return -1;
}

function fitsAt(segment: Segment, text: readonly string[], start: number): boolean {
  for (let index = 0; index < segment.length; index++) {
    const want = segment[index];
    if (want !== undefined && text[start + index] !== want) return false;
  }
  return true;
}
