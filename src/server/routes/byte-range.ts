/** The bytes `start`..`end` (inclusive) of a file of `total` bytes. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
  readonly total: number;
}

/**
 * Reads an HTTP `Range` header for a file of `size` bytes, as S3 (and so Instant's file URLs) honours
 * one: `bytes=a-b`, `bytes=a-` or `bytes=-n` (the last n bytes), an end past the file cut to it. Returns
 * the range, `'unsatisfiable'` when it starts past the end (a 416), or undefined when the whole file is
 * to be sent: no header, a malformed one, or several ranges (which S3 does not serve either).
 *
 * @example
 * parseByteRange('bytes=0-9', 100) // { start: 0, end: 9, total: 100 }
 * parseByteRange('bytes=-10', 100) // { start: 90, end: 99, total: 100 }
 * parseByteRange('bytes=200-', 100) // 'unsatisfiable'
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [first, last] = [match[1]!, match[2]!];
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1, total: size };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return undefined;
  return start >= size ? 'unsatisfiable' : { start, end, total: size };
}
