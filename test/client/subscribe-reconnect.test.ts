import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { i, InstantValidationError, init, type SubscribeQueryPayload } from '../../src/index.ts';

const appId = crypto.randomUUID();
const adminToken = crypto.randomUUID();

/** What the stub does with the n-th subscribe request (0-based). */
type Script = (n: number, req: IncomingMessage, res: ServerResponse) => void;

interface SseStub {
  url: string;
  requests: { headers: IncomingMessage['headers']; body: string; url: string }[];
  /** Resolves when the n-th request's connection has closed. */
  closed(n: number): Promise<void>;
  close(): Promise<void>;
}

let stub: SseStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function startSseStub(script: Script): Promise<SseStub> {
  const closings: Promise<void>[] = [];
  const requests: SseStub['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const n = requests.length;
      requests.push({ headers: req.headers, body, url: req.url! });
      closings[n] = new Promise((resolve) => res.on('close', () => resolve()));
      script(n, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    closed: async (n) => {
      while (!closings[n]) await new Promise((resolve) => setTimeout(resolve, 5));
      await closings[n];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Opens an event stream and sends `retry`, `sse-init` and a first result with `goals`. */
function serve(res: ServerResponse, goals: unknown[], retryMs = 1): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=UTF-8' });
  res.write(`retry:${retryMs}\n\n`);
  res.write(`data:${JSON.stringify({ op: 'sse-init', 'machine-id': 'm', 'session-id': 's' })}\n\n`);
  res.write(
    `data:${JSON.stringify({ op: 'add-query-ok', result: { goals }, 'result-meta': { 'page-info': {} } })}\n\n`,
  );
}

function collect(sub: { [Symbol.asyncIterator](): AsyncIterator<SubscribeQueryPayload<any>> }) {
  const iterator = sub[Symbol.asyncIterator]();
  return async () => (await iterator.next()).value as SubscribeQueryPayload<any> | undefined;
}

describe('db.subscribeQuery reconnects, closes and fails as documented', () => {
  it('reconnects after the server drops the connection and delivers the fresh result', async () => {
    stub = await startSseStub((n, _req, res) => {
      serve(res, [{ id: `v${n}` }]);
      if (n === 0) setTimeout(() => res.socket?.destroy(), 20);
    });
    const db = init({ appId, adminToken, apiURI: stub.url });
    const sub = db.subscribeQuery({ goals: {} });
    const next = collect(sub);
    expect(await next()).toMatchObject({ type: 'ok', data: { goals: [{ id: 'v0' }] } });
    expect(await next()).toMatchObject({ type: 'ok', data: { goals: [{ id: 'v1' }] } });
    expect(sub.readyState).toBe('open');
    expect(stub.requests).toHaveLength(2);
    expect(stub.requests[1]!.body).toBe(stub.requests[0]!.body);
    // The same connection id on every attempt, as the official SDK's EventSource keeps its URL.
    expect(stub.requests[1]!.url).toBe(stub.requests[0]!.url);
    sub.close();
    await stub.closed(1);
  });

  it('reports a first connection that fails at once, then connects when the server is up', async () => {
    stub = await startSseStub((n, _req, res) => {
      if (n === 0) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'unavailable', message: 'starting', hint: null }));
      } else serve(res, [{ id: 'up' }]);
    });
    const db = init({ appId, adminToken, apiURI: stub.url });
    const sub = db.subscribeQuery({ goals: {} });
    const next = collect(sub);
    expect(await next()).toMatchObject({ type: 'error', isClosed: false, readyState: 'connecting' });
    expect(await next()).toMatchObject({ type: 'ok', data: { goals: [{ id: 'up' }] } });
    sub.close();
  });

  it('close() aborts the request: the server sees the connection end', async () => {
    stub = await startSseStub((_n, _req, res) => serve(res, []));
    const db = init({ appId, adminToken, apiURI: stub.url });
    const sub = db.subscribeQuery({ goals: {} });
    await collect(sub)();
    const started = performance.now();
    sub.close();
    await stub.closed(0);
    expect(performance.now() - started).toBeLessThan(200);
    expect(sub.isClosed).toBe(true);
  });

  it('stops when its signal aborts', async () => {
    stub = await startSseStub((_n, _req, res) => serve(res, []));
    const db = init({ appId, adminToken, apiURI: stub.url });
    const controller = new AbortController();
    const sub = db.subscribeQuery({ goals: {} }, undefined, { signal: controller.signal });
    const next = collect(sub);
    await next();
    controller.abort();
    await stub.closed(0);
    expect(await next()).toBeUndefined();
  });

  it('gives up after 10 failed reconnections in a row, with one closing error (secrets redacted)', async () => {
    stub = await startSseStub((n, _req, res) => {
      if (n === 0) {
        serve(res, []);
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'unavailable', message: `down, token ${adminToken}`, hint: null }));
    });
    const db = init({ appId, adminToken, apiURI: stub.url });
    const seen: SubscribeQueryPayload<any>[] = [];
    const sub = db.subscribeQuery({ goals: {} }, (payload) => seen.push(payload));
    while (!sub.isClosed) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stub.requests).toHaveLength(11);
    expect(seen.map((p) => p.type)).toEqual(['ok', 'error']);
    const last = seen.at(-1)!;
    if (last.type !== 'error') throw new Error('expected an error');
    expect(last.isClosed).toBe(true);
    expect(last.error).toMatchObject({ name: 'InstantAPIError', status: 503, type: 'unavailable' });
    expect(last.error.message).not.toContain(adminToken);
    expect(JSON.stringify(last.error)).not.toContain(adminToken);
  });

  it('a 400 answer is delivered once and closes it, without reconnecting', async () => {
    stub = await startSseStub((_n, _req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'param-malformed', message: 'Malformed parameter: ["body" "query"]', hint: {} }));
    });
    const db = init({ appId, adminToken, apiURI: stub.url });
    const sub = db.subscribeQuery({ goals: {} });
    const payload = await collect(sub)();
    expect(payload).toMatchObject({ type: 'error', isClosed: true, readyState: 'closed' });
    if (payload?.type === 'error') expect(payload.error).toMatchObject({ status: 400, type: 'param-malformed' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stub.requests).toHaveLength(1);
  });

  it('with retry: false a dropped stream is not reopened', async () => {
    stub = await startSseStub((_n, _req, res) => {
      serve(res, []);
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const db = init({ appId, adminToken, apiURI: stub.url, retry: false });
    const sub = db.subscribeQuery({ goals: {} });
    const next = collect(sub);
    expect((await next())?.type).toBe('ok');
    const error = await next();
    expect(error).toMatchObject({ type: 'error', isClosed: true });
    if (error?.type === 'error') expect(error.error.name).toBe('InstantNetworkError');
    expect(stub.requests).toHaveLength(1);
  });

  it('a server that never answers is a timeout (the per-attempt timeout), reported as a network error', async () => {
    stub = await startSseStub(() => undefined);
    const db = init({ appId, adminToken, apiURI: stub.url, retry: false });
    const started = performance.now();
    const payload = await collect(db.subscribeQuery({ goals: {} }, undefined, { timeout: 100 }))();
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(payload).toMatchObject({ type: 'error', isClosed: true });
    if (payload?.type === 'error')
      expect(payload.error).toMatchObject({ name: 'InstantNetworkError', code: 'ETIMEDOUT' });
    await stub.closed(0);
  });

  it('an answer that is not an event stream is an InstantResponseError', async () => {
    stub = await startSseStub((_n, _req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy</html>');
    });
    const db = init({ appId, adminToken, apiURI: stub.url });
    const payload = await collect(db.subscribeQuery({ goals: {} }))();
    expect(payload).toMatchObject({ type: 'error', isClosed: true });
    if (payload?.type === 'error') expect(payload.error.name).toBe('InstantResponseError');
  });

  it('refuses synchronous iteration and checks the query before sending anything', async () => {
    stub = await startSseStub((_n, _req, res) => serve(res, []));
    const db = init({ appId, adminToken, apiURI: stub.url });
    const sub = db.subscribeQuery({ goals: {} });
    await collect(sub)();
    expect(() => [...(sub as unknown as Iterable<unknown>)]).toThrow(/for await/);
    sub.close();
    const typed = init({ appId, adminToken, apiURI: stub.url, schema: i.schema({ entities: {}, links: {} }) });
    expect(() => typed.subscribeQuery({ nope: {} } as never)).toThrow(InstantValidationError);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stub.requests).toHaveLength(1);
  });
});
