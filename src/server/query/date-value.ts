/** Instant's epoch-ms limit: `Instant/ofEpochMilli` takes a Java long. */
const LONG_LIMIT = 2 ** 63;

/** A local date-time without a zone (`2025-01-15 20:53:08`, `2025-01-15T20:53`): Instant reads it as UTC. */
const LOCAL_DATE_TIME = /^(\d{4,}-\d{1,2}-\d{1,2})[T ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/**
 * The epoch milliseconds a stored or queried date means, or `undefined` when it is no date: a number
 * is taken as epoch ms (within a Java long); a string is parsed as Instant's `parse-date-value` does
 * for the usual forms (ISO with or without zone — no zone means UTC —, date only, JSON-quoted, padded).
 * Postgres's special words (`now`, `today`, …) are left to {@link parseSpecialDate}.
 *
 * @example
 * parseDateValue('1970-01-01T00:00:00.001Z') // 1
 * parseDateValue(1700000000000) // 1700000000000
 * parseDateValue('tomorrow') // undefined
 */
export function parseDateValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) < LONG_LIMIT ? value : undefined;
  if (typeof value !== 'string') return undefined;
  return parseDateString(value) ?? parseDateString(unquote(value)) ?? parseDateString(value.trim());
}

function parseDateString(text: string | undefined): number | undefined {
  if (text === undefined || !/\d{4}/.test(text)) return undefined;
  const local = LOCAL_DATE_TIME.exec(text);
  const time = Date.parse(local ? `${local[1]}T${local[2]}Z` : text);
  return Number.isNaN(time) ? undefined : time;
}

function unquote(text: string): string | undefined {
  if (!text.startsWith('"')) return undefined;
  try {
    const inner = JSON.parse(text) as unknown;
    return typeof inner === 'string' ? inner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Postgres's special date strings, which Instant accepts in comparisons (`$gt` …) but not in equality:
 * `epoch`, `infinity`, `-infinity`, `now`, `today`, `tomorrow`, `yesterday` (days start at 00:00 UTC).
 *
 * @example
 * parseSpecialDate('epoch', Date.now()) // 0
 */
export function parseSpecialDate(text: string, now: number): number | undefined {
  const day = 86_400_000;
  const startOfToday = Math.floor(now / day) * day;
  switch (text) {
    case 'epoch':
      return 0;
    case 'infinity':
      return Number.POSITIVE_INFINITY;
    case '-infinity':
      return Number.NEGATIVE_INFINITY;
    case 'now':
      return now;
    case 'today':
      return startOfToday;
    case 'tomorrow':
      return startOfToday + day;
    case 'yesterday':
      return startOfToday - day;
    default:
      return undefined;
  }
}

/**
 * A stored value read as a date for comparing: its epoch ms, `null` for null, `NaN` when unreadable.
 *
 * @example
 * readStoredDate('2024-01-01T00:00:00Z') // 1704067200000
 */
export function readStoredDate(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return parseDateValue(value) ?? Number.NaN;
}
