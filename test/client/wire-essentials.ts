import type { Recorded } from './stub-server.ts';

/** The headers the wire-parity tests compare: the ones that carry identity and the body's type. */
export const WIRE_HEADERS: readonly string[] = [
  'app-id',
  'authorization',
  'as-email',
  'as-token',
  'as-guest',
  'content-type',
];

/**
 * What the wire-parity tests compare of a recorded request: method, path, query, the chosen headers
 * and the body. Header values are cut at `;` (`application/json; charset=utf-8` and `application/json`
 * are the same request) unless `wholeValues` (storage compares content types as sent).
 */
export function essentials(
  request: Recorded,
  options: { readonly headers?: readonly string[]; readonly wholeValues?: boolean } = {},
) {
  const names = options.headers ?? WIRE_HEADERS;
  return {
    method: request.method,
    path: request.path,
    query: request.query,
    headers: Object.fromEntries(
      names
        .filter((name) => request.headers[name] !== undefined)
        .map((name) => {
          const value = String(request.headers[name]);
          return [name, options.wholeValues ? value : value.split(';')[0]];
        }),
    ),
    body: request.body,
  };
}
