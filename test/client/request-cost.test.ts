import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpClient } from '../../src/client/http-client.ts';
import { RequestParts } from '../../src/client/request-parts.ts';
import { id, init, InstantAbortError, InstantTimeoutError, InstantValidationError } from '../../src/index.ts';
import { rejection } from './secret-watch.ts';
import { startStub, type Stub } from './stub-server.ts';

const appId = crypto.randomUUID();
const adminToken = crypto.randomUUID();

/** Replaces a global class with a subclass that counts constructions, for the duration of `run`. */
async function countConstructions(name: 'Request' | 'Response', run: () => Promise<unknown>): Promise<number> {
  const original = globalThis[name] as unknown as new (...args: unknown[]) => object;
  let count = 0;
  const Counting = class extends original {
    constructor(...args: unknown[]) {
      super(...args);
      count++;
    }
  };
  (globalThis as Record<string, unknown>)[name] = Counting;
  try {
    await run();
  } finally {
    (globalThis as Record<string, unknown>)[name] = original;
  }
  return count;
}

describe('what one call costs: built once, sent once, read once (stub server capturing requests)', () => {
  let stub: Stub;
  const client = (options: Parameters<typeof init>[0] = {}) =>
    init({ appId, adminToken, apiURI: stub.url, retry: { limit: 2 }, ...options });
  beforeAll(async () => {
    stub = await startStub();
  });
  beforeEach(() => {
    stub.requests.length = 0;
    stub.fallback = (request) =>
      request.path === '/admin/transact' ? { status: 200, body: { 'tx-id': 1 } } : { status: 200, body: { goals: [] } };
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => stub.close());

  it('builds no query string per call: the ?app_id= URL is made once per client', async () => {
    const db = client();
    await db.query({ goals: {} });
    const queryStrings = vi.spyOn(URLSearchParams.prototype, 'toString');
    for (let index = 0; index < 3; index++) {
      await db.query({ goals: {} });
      await db.transact([['update', 'goals', id(), { n: index }]]);
    }
    expect(queryStrings).not.toHaveBeenCalled();
    expect(stub.requests.map((request) => request.query)).toEqual(Array(7).fill({ app_id: appId }));
  });

  it('ky builds one Request per call, with or without a caller signal (searchParams made it build two)', async () => {
    const db = client();
    await db.query({ goals: {} });
    expect(await countConstructions('Request', () => db.query({ goals: {} }))).toBe(1);
    expect(await countConstructions('Request', () => db.transact([['update', 'goals', id(), { a: 1 }]]))).toBe(1);
    const signal = new AbortController().signal;
    expect(await countConstructions('Request', () => db.query({ goals: {} }, { signal }))).toBe(1);
  });

  it('builds the headers once per client and reuses them on every call', async () => {
    const db = client({ headers: { 'x-trace': 'on' } });
    const send = vi.spyOn(HttpClient.prototype, 'send');
    const merge = vi.spyOn(RequestParts.prototype, 'headers');
    for (let index = 0; index < 3; index++) await db.query({ goals: {} });
    const given = send.mock.calls.map(([call]) => call.headers);
    expect(new Set(given).size).toBe(1);
    const merged = merge.mock.results.map((result) => result.value);
    expect(new Set(merged).size).toBe(1);
    expect(Object.isFrozen(merged[0])).toBe(true);
    expect(stub.requests.at(-1)!.headers).toMatchObject({
      'app-id': appId,
      authorization: `Bearer ${adminToken}`,
      'content-type': 'application/json',
      'x-trace': 'on',
    });
    // An asUser copy has its own headers (its impersonation), again built once.
    const guest = db.asUser({ guest: true });
    await guest.query({ goals: {} });
    await guest.query({ goals: {} });
    const guestHeaders = send.mock.calls.slice(3).map(([call]) => call.headers);
    expect(guestHeaders[0]).toBe(guestHeaders[1]);
    expect(guestHeaders[0]).not.toBe(given[0]);
    expect(stub.requests.at(-1)!.headers['as-guest']).toBe('true');
  });

  it('does not wrap responses again: no Response is constructed, the body is read once and never cloned', async () => {
    const seen: Response[] = [];
    const reads = { text: 0, arrayBuffer: 0, clone: 0 };
    const fetch: typeof globalThis.fetch = async (input, initOptions) => {
      const response = await globalThis.fetch(input, initOptions);
      for (const method of ['text', 'arrayBuffer', 'clone'] as const) {
        const original = response[method].bind(response);
        (response as unknown as Record<string, unknown>)[method] = () => {
          reads[method]++;
          return original();
        };
      }
      seen.push(response);
      return response;
    };
    const db = client({ fetch });
    expect(await countConstructions('Response', () => db.query({ goals: {} }))).toBe(0);
    expect(seen).toHaveLength(1);
    expect(reads).toEqual({ text: 1, arrayBuffer: 0, clone: 0 });
    // An error body is read from the same single read.
    stub.script({ status: 400, body: { type: 'validation-failed', message: 'bad query', hint: { x: 1 } } });
    const error = await rejection(db.query({ goals: {} }));
    expect(error).toMatchObject({ status: 400, type: 'validation-failed', hint: { x: 1 } });
    expect(error.message).toContain('bad query');
    expect(reads).toEqual({ text: 2, arrayBuffer: 0, clone: 0 });
  });

  it("the caller's signal aborts an attempt in flight", async () => {
    stub.fallback = () => ({ status: 200, body: { goals: [] }, delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await rejection(client().query({ goals: {} }, { signal: controller.signal }));
    expect(error).toBeInstanceOf(InstantAbortError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(stub.requests).toHaveLength(1);
  });

  it("the caller's signal aborts the wait before a retry, and no retry is sent", async () => {
    stub.fallback = () => ({ status: 503, body: { type: 'unknown', message: 'x' }, headers: { 'retry-after': '5' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const error = await rejection(client().query({ goals: {} }, { signal: controller.signal }));
    expect(error).toBeInstanceOf(InstantAbortError);
    expect(Date.now() - started).toBeLessThan(1500);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stub.requests).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const error = await rejection(client().query({ goals: {} }, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(InstantAbortError);
    expect(stub.requests).toHaveLength(0);
  });

  it('a body JSON cannot carry (a cycle in debug rules) is a validation error and nothing is sent', async () => {
    const rules: Record<string, unknown> = { goals: { allow: { view: 'true' } } };
    rules.self = rules;
    const error = await rejection(client().asUser({ guest: true }).debugQuery({ goals: {} }, { rules }));
    expect(error).toBeInstanceOf(InstantValidationError);
    expect(error.issues[0]).toMatchObject({ path: 'body' });
    expect(error.message).toContain('cannot be sent as JSON');
    expect(stub.requests).toHaveLength(0);
  });

  it('each attempt has its own timeout: three attempts of 100 ms, not one shared', async () => {
    stub.fallback = () => ({ status: 200, body: { goals: [] }, delayMs: 3000 });
    const started = Date.now();
    const error = await rejection(client().query({ goals: {} }, { timeout: 100 }));
    expect(error).toBeInstanceOf(InstantTimeoutError);
    expect(error.timeoutMs).toBe(100);
    expect(stub.requests).toHaveLength(3);
    // 3 × 100 ms plus two jittered waits (≤ 300 and ≤ 600 ms); one uncut attempt alone would take 3 s.
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a total time shorter than the attempt timeout cuts the first attempt at the total', async () => {
    stub.fallback = () => ({ status: 200, body: { goals: [] }, delayMs: 3000 });
    const started = Date.now();
    const error = await rejection(client({ retry: { totalTimeout: 300 } }).query({ goals: {} }));
    expect(error).toBeInstanceOf(InstantTimeoutError);
    expect(error.timeoutMs).toBe(300);
    expect(stub.requests).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a retry that would outlive the total time is cut at the deadline', async () => {
    stub.fallback = () => ({ status: 200, body: { goals: [] }, delayMs: 3000 });
    const started = Date.now();
    const error = await rejection(
      client({ timeout: 300, retry: { limit: 5, totalTimeout: 800 } }).query({ goals: {} }),
    );
    expect(error).toBeInstanceOf(InstantTimeoutError);
    expect(error.timeoutMs).toBe(800);
    expect(Date.now() - started).toBeGreaterThanOrEqual(780);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(stub.requests.length).toBeGreaterThanOrEqual(2);
  });
});
