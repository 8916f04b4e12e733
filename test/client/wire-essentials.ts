import { init as officialInit } from '@instantdb/admin';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { init } from '../../src/index.ts';
import { type Recorded, type Stub, startStub } from './stub-server.ts';

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

/** The recording stub server and both SDKs pointed at it, for one wire-parity `describe`. */
export interface ParityPair {
  readonly stub: Stub;
  /** Our client. */
  readonly ours: ReturnType<typeof init>;
  /** `@instantdb/admin`'s. */
  readonly theirs: ReturnType<typeof officialInit>;
}

/**
 * Starts a recording stub answering with `answer` and both SDKs on it for the enclosing `describe`,
 * clears the recorded requests before each test and stops the stub afterwards.
 */
export function useParityPair(
  answer: (request: Recorded) => { status: number; body?: unknown },
  credentials: { readonly appId: string; readonly adminToken: string },
): ParityPair {
  const pair = {} as { stub: Stub; ours: ReturnType<typeof init>; theirs: ReturnType<typeof officialInit> };
  beforeAll(async () => {
    pair.stub = await startStub();
    pair.stub.fallback = answer as Stub['fallback'];
    pair.ours = init({ ...credentials, apiURI: pair.stub.url });
    pair.theirs = officialInit({ ...credentials, apiURI: pair.stub.url });
  });
  beforeEach(() => {
    pair.stub.requests.length = 0;
  });
  afterAll(() => pair.stub.close());
  return pair;
}
