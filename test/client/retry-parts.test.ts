import { HTTPError, TimeoutError } from 'ky';
import { describe, expect, it } from 'vitest';
import { CallBudget } from '../../src/client/call-budget.ts';
import { resolveConfig, type RetryConfig } from '../../src/client/client-config.ts';
import { RequestParts } from '../../src/client/request-parts.ts';
import { retryPolicy } from '../../src/client/retry-policy.ts';

const config: RetryConfig = { limit: 3, totalTimeout: 60_000, maxRetryAfter: 30_000, transact: 'safe' };
const request = new Request('http://127.0.0.1/admin/transact', { method: 'POST' });

function httpError(status: number, body: unknown = {}, headers: Record<string, string> = {}): HTTPError {
  const response = new Response(JSON.stringify(body), { status, headers });
  return new HTTPError(response, request, {} as never);
}

function networkError(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
}

describe('retry policy: what may be retried, per kind of call', () => {
  const read = retryPolicy('read', config);
  const transact = retryPolicy('transact', config);
  const cases: [string, () => unknown, boolean, boolean][] = [
    ['500', () => httpError(500), true, false],
    ['503', () => httpError(503), true, false],
    ['400', () => httpError(400), false, false],
    ['413', () => httpError(413), false, false],
    ['429 rate-limited', () => httpError(429, { type: 'rate-limited' }), true, true],
    ['429 timeout (the work may be done)', () => httpError(429, { type: 'timeout' }), true, false],
    ['a per-attempt timeout', () => new TimeoutError(request), true, false],
    ['connection refused (never sent)', () => networkError('ECONNREFUSED'), true, true],
    ['connection reset (maybe sent)', () => networkError('ECONNRESET'), true, false],
    ['the total time ran out', () => new DOMException('x', 'TimeoutError'), false, false],
    ['the caller aborted', () => new DOMException('x', 'AbortError'), false, false],
  ];
  for (const [label, error, forRead, forTransact] of cases) {
    it(`${label}: read ${forRead ? 'retries' : 'stops'}, transact ${forTransact ? 'retries' : 'stops'}`, async () => {
      expect(await read.mayRetry(error())).toBe(forRead);
      expect(await transact.mayRetry(error())).toBe(forTransact);
    });
  }

  it("'idempotent' retries transact like a read; 'never' allows no retry at all", async () => {
    expect(await retryPolicy('transact', { ...config, transact: 'idempotent' }).mayRetry(httpError(500))).toBe(true);
    expect(retryPolicy('transact', { ...config, transact: 'never' }).kyOptions.limit).toBe(0);
    expect(retryPolicy('write', config).kyOptions.limit).toBe(3);
  });

  it('waits what Retry-After says, then the body hint, capped by maxRetryAfter; else jittered backoff', async () => {
    expect(await read.waitBefore(httpError(429, {}, { 'retry-after': '2' }), 1)).toBe(2000);
    expect(await read.waitBefore(httpError(503, {}, { 'retry-after': '0.5' }), 1)).toBe(500);
    expect(await read.waitBefore(httpError(429, { hint: { 'retry-after': 1.5 } }), 1)).toBe(1500);
    expect(await read.waitBefore(httpError(429, {}, { 'retry-after': '600' }), 1)).toBe(30_000);
    const date = new Date(Date.now() + 5000).toUTCString();
    const untilDate = await read.waitBefore(httpError(503, {}, { 'retry-after': date }), 1);
    expect(untilDate).toBeGreaterThan(3000);
    expect(untilDate).toBeLessThanOrEqual(5000);
    for (let retry = 1; retry <= 8; retry++) {
      const wait = await read.waitBefore(httpError(500), retry);
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThanOrEqual(Math.min(10_000, 300 * 2 ** (retry - 1)));
    }
  });
});

describe('call budget: the total time across attempts and waits', () => {
  it('arms nothing for an attempt its own timeout ends first; bounds one that would outlive the deadline', () => {
    const budget = new CallBudget(1000, undefined);
    expect(budget.attemptSignal(request, 500)).toBeUndefined();
    const signal = budget.attemptSignal(request, 5000);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal!.aborted).toBe(false);
    expect(budget.attemptSignal(request, false)).toBeInstanceOf(AbortSignal);
  });

  it('refuses an attempt once the deadline has passed', async () => {
    const budget = new CallBudget(0, undefined);
    expect(() => budget.attemptSignal(request, 500)).toThrow(expect.objectContaining({ name: 'TimeoutError' }));
  });

  it('waits the time asked when it fits, and rejects at the deadline (not before) when it does not', async () => {
    const fits = new CallBudget(1000, undefined);
    await expect(fits.wait(20)).resolves.toBeUndefined();
    const tight = new CallBudget(150, undefined);
    const started = performance.now();
    await expect(tight.wait(10_000)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("rejects with the caller's reason when the caller aborts, at once or while waiting", async () => {
    const reason = new Error('stop');
    await expect(new CallBudget(1000, AbortSignal.abort(reason)).wait(10)).rejects.toBe(reason);
    const controller = new AbortController();
    const waiting = new CallBudget(60_000, controller.signal).wait(30_000);
    setTimeout(() => controller.abort(reason), 20);
    await expect(waiting).rejects.toBe(reason);
  });
});

describe('request parts: URLs and headers made once per client', () => {
  const appId = crypto.randomUUID();
  const parts = new RequestParts(
    resolveConfig({ appId, apiURI: 'http://127.0.0.1:9/base/', headers: { 'x-client': 'a', 'x-both': 'client' } }, {}),
  );

  it('puts the app id in the query string, then any call parameters, encoded', () => {
    expect(parts.url('admin/query')).toBe(`http://127.0.0.1:9/base/admin/query?app_id=${appId}`);
    expect(parts.url('admin/users', { email: 'a+b@c.co' })).toBe(
      `http://127.0.0.1:9/base/admin/users?app_id=${appId}&email=a%2Bb%40c.co`,
    );
    expect(parts.url('admin/query', {})).toBe(parts.url('admin/query'));
  });

  it("merges the client's and the call's headers (the call wins), with content-type only when a body is sent", () => {
    const call = { 'app-id': appId, 'x-both': 'call' };
    expect(parts.headers(call, true)).toEqual({
      'x-client': 'a',
      'x-both': 'call',
      'app-id': appId,
      'content-type': 'application/json',
    });
    expect(parts.headers(call, false)).toEqual({ 'x-client': 'a', 'x-both': 'call', 'app-id': appId });
    expect(parts.headers(call, true)).toBe(parts.headers(call, true));
    expect(parts.headers({ 'Content-Type': 'application/json; charset=utf-8' }, true)).toEqual({
      'x-client': 'a',
      'x-both': 'client',
      'Content-Type': 'application/json; charset=utf-8',
    });
  });
});
