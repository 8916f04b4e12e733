import type { IncomingHttpHeaders } from 'node:http';

/** What a route handler gets: parsed URL parts, lower-cased headers and the JSON body. */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
  /** The digits of integers in the body beyond 2^53, keyed by the double JSON.parse made of them. */
  readonly numberText?: ReadonlyMap<number, string>;
}

/**
 * One header's value as a string (the first, when repeated), or undefined.
 */
export function header(req: ApiRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
