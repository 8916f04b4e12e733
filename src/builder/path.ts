const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** One step into a value: an object key or an array index. */
export type PathSegment = string | number;

/**
 * Appends segments to a path the way code would read: `.key`, `["odd key"]`, `[3]`. From an empty
 * base, a leading name has no dot: `formatPath('', ['goals', '$'])` is `goals.$`.
 *
 * @example
 * formatPath('goals[1].update', ['metrics', 'scores', 2]) // 'goals[1].update.metrics.scores[2]'
 */
export function formatPath(base: string, segments: readonly PathSegment[]): string {
  let path = base;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}
