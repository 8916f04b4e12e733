import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  id,
  init,
  InstantAbortError,
  InstantAPIError,
  InstantNetworkError,
  InstantResponseError,
  InstantTimeoutError,
} from '../../src/index.ts';
import { expectNoSecretsInErrors, rejection } from './secret-watch.ts';
import { startStub, type Stub } from './stub-server.ts';

const appId = crypto.randomUUID();
const adminToken = crypto.randomUUID();

describe('faults, retries and error mapping (stub server with injected faults)', () => {
  let stub: Stub;
  const client = (retry: Record<string, unknown> = {}) =>
    init({ appId, adminToken, apiURI: stub.url, retry: { limit: 2, ...retry } });
  const step = () => [['update', 'goals', id(), { a: 1 }]];
  beforeAll(async () => {
    stub = await startStub();
  });
  beforeEach(() => {
    stub.requests.length = 0;
    stub.fallback = () => ({ status: 200, body: { goals: [] } });
  });
  afterAll(() => stub.close());

  it('query: 429 with a Retry-After header waits that long, then succeeds', async () => {
    stub.script({
      status: 429,
      body: { type: 'rate-limited', message: 'slow down', hint: null },
      headers: { 'retry-after': '0.3' },
    });
    const started = Date.now();
    expect(await client().query({ goals: {} })).toEqual({ goals: [] });
    expect(stub.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("query: 429 with Instant's body hint retry-after (no header) waits that long", async () => {
    stub.script({ status: 429, body: { type: 'rate-limited', message: 'slow down', hint: { 'retry-after': 0.3 } } });
    const started = Date.now();
    await client().query({ goals: {} });
    expect(stub.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('query: 500 then 503 then 200 → three attempts, success', async () => {
    stub.script(
      { status: 500, body: { type: 'unknown', message: 'x' } },
      { status: 503, body: { type: 'unknown', message: 'y' } },
    );
    await client().query({ goals: {} });
    expect(stub.requests).toHaveLength(3);
  });

  it('query: a 500 that persists → InstantAPIError after limit + 1 attempts', async () => {
    stub.fallback = () => ({
      status: 500,
      body: { type: 'sql-exception', message: 'boom', hint: { 'debug-uri': 'x' } },
    });
    const error = await rejection(client().query({ goals: {} }));
    expect(error).toBeInstanceOf(InstantAPIError);
    expect(error).toMatchObject({ status: 500, type: 'sql-exception', hint: { 'debug-uri': 'x' } });
    expect(stub.requests).toHaveLength(3);
  });

  it('transact: a 500 is not retried (the commit may have happened)', async () => {
    stub.script({ status: 500, body: { type: 'unknown', message: 'x' } });
    const error = await rejection(client().transact(step()));
    expect(error.status).toBe(500);
    expect(stub.requests).toHaveLength(1);
  });

  it('transact: 429 rate-limited is retried; 429 timeout is not', async () => {
    stub.fallback = () => ({ status: 200, body: { 'tx-id': 7 } });
    stub.script({ status: 429, body: { type: 'rate-limited', message: 'x', hint: { 'retry-after': 0 } } });
    expect(await client().transact(step())).toEqual({ txId: 7 });
    expect(stub.requests).toHaveLength(2);
    stub.requests.length = 0;
    stub.script({ status: 429, body: { type: 'timeout', message: 'The query took too long to complete.' } });
    const error = await rejection(client().transact(step()));
    expect(error.type).toBe('timeout');
    expect(stub.requests).toHaveLength(1);
  });

  it("transact with retry.transact 'idempotent' retries a 500", async () => {
    stub.fallback = () => ({ status: 200, body: { 'tx-id': 8 } });
    stub.script({ status: 500, body: { type: 'unknown', message: 'x' } });
    expect(await client({ transact: 'idempotent' }).transact(step())).toEqual({ txId: 8 });
    expect(stub.requests).toHaveLength(2);
  });

  it('connection reset mid-body: query retries, transact does not', async () => {
    stub.script({ reset: true });
    expect(await client().query({ goals: {} })).toEqual({ goals: [] });
    expect(stub.requests).toHaveLength(2);
    stub.requests.length = 0;
    stub.script({ reset: true });
    const error = await rejection(client().transact(step()));
    expect(error).toBeInstanceOf(InstantNetworkError);
    expect(stub.requests).toHaveLength(1);
  });

  it('a slow response past the timeout → InstantTimeoutError (reads retried, transact not)', async () => {
    stub.fallback = () => ({ status: 200, body: { goals: [] }, delayMs: 400 });
    const read = await rejection(client().query({ goals: {} }, { timeout: 100 }));
    expect(read).toBeInstanceOf(InstantTimeoutError);
    expect(stub.requests).toHaveLength(3);
    stub.requests.length = 0;
    const write = await rejection(client().transact(step(), { timeout: 100 }));
    expect(write).toBeInstanceOf(InstantTimeoutError);
    expect(write.timeoutMs).toBe(100);
    expect(stub.requests).toHaveLength(1);
  });

  it('bounds the total time across retries', async () => {
    stub.fallback = () => ({ status: 503, body: { type: 'unknown', message: 'x' }, headers: { 'retry-after': '1' } });
    const started = Date.now();
    const error = await rejection(client({ limit: 10, totalTimeout: 1500 }).query({ goals: {} }));
    expect(error).toBeInstanceOf(InstantTimeoutError);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('invalid JSON with 200 → InstantResponseError; wrong shape → InstantResponseError saying what came back', async () => {
    stub.script({ status: 200, raw: 'not json' });
    expect(await rejection(client().query({ goals: {} }))).toBeInstanceOf(InstantResponseError);
    stub.script({ status: 200, body: { ok: true } });
    const shape = await rejection(client().transact(step()));
    expect(shape).toBeInstanceOf(InstantResponseError);
    expect(shape.message).toContain('expected {"tx-id": a number}, got an object with keys ok');
  });

  it('an HTML error page → InstantAPIError of type non-json-response, retried for reads', async () => {
    stub.fallback = () => ({ status: 502, raw: '<html><body>Bad gateway</body></html>' });
    const error = await rejection(client().query({ goals: {} }));
    expect(error).toMatchObject({ status: 502, type: 'non-json-response' });
    expect(error.message).toContain('Bad gateway');
    expect(stub.requests).toHaveLength(3);
  });

  it('abort while waiting → InstantAbortError', async () => {
    stub.fallback = () => ({ status: 200, body: { goals: [] }, delayMs: 500 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await rejection(client().query({ goals: {} }, { signal: controller.signal }))).toBeInstanceOf(
      InstantAbortError,
    );
  });

  it('redacts a token the server echoes back in its hint', async () => {
    stub.script({
      status: 400,
      body: {
        type: 'record-not-found',
        message: `bad ${adminToken}`,
        hint: { args: [{ token: adminToken }], note: adminToken },
      },
    });
    const error = await rejection(client({ limit: 0 }).query({ goals: {} }));
    expect(error.hint.args[0].token).toBe(`${adminToken.slice(0, 4)}…`);
    expect(JSON.stringify(error.body)).not.toContain(adminToken);
  });

  it('shows the admin token in no error produced here', () => {
    expectNoSecretsInErrors([adminToken]);
  });
});
