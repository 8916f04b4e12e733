import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init as officialInit } from '@instantdb/admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { i, InstantValidationError, init } from '../../src/index.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';
import { openSse, type SseReader } from './sse-reader.ts';

const schema = i.schema({
  entities: {
    goals: i.entity({ title: i.string(), public: i.boolean().optional(), rank: i.number().optional() }),
    notes: i.entity({ text: i.string() }),
  },
  links: {},
});

/** Guests see public goals only. */
const rules = { goals: { allow: { view: 'data.public == true', create: 'true', update: 'true' } } };

let server: LocalServer;
let db: ReturnType<typeof init<typeof schema>>;
const streams: SseReader[] = [];

beforeAll(async () => {
  server = await startLocalServer({ schema, rules });
  db = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url, schema });
});
afterAll(async () => {
  for (const stream of streams) stream.close();
  await server?.close();
});

const adminHeaders = (): Record<string, string> => ({
  'content-type': 'application/json',
  'app-id': server.appId,
  authorization: `Bearer ${server.adminToken}`,
});

async function subscribe(query: unknown, headers = adminHeaders(), extra: object = {}): Promise<SseReader> {
  const stream = await openSse(`${server.url}/admin/subscribe-query`, headers, { query, ...extra });
  streams.push(stream);
  return stream;
}

/** A request to the server as its admin. */
const api = (method: string, path: string, body?: unknown): Promise<Response> =>
  fetch(`${server.url}${path}`, {
    method,
    headers: adminHeaders(),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** The stream's first two messages: `sse-init`, then the first result. */
async function firstResult(stream: SseReader): Promise<any> {
  expect((await stream.next()).op).toBe('sse-init');
  return stream.next();
}

describe('POST /admin/subscribe-query on the local server', () => {
  it('opens an event stream: retry, sse-init, then add-query-ok with the object tree', async () => {
    const id = crypto.randomUUID();
    await db.transact(db.tx.goals[id].update({ title: 'first', public: true }));
    const stream = await subscribe({ goals: { $: { where: { id } } } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const init = await stream.next();
    expect(init).toMatchObject({ op: 'sse-init' });
    expect(init['machine-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(init['session-id']).toMatch(/^[0-9a-f-]{36}$/);
    const ok = await stream.next();
    expect(ok).toMatchObject({
      op: 'add-query-ok',
      q: { goals: { $: { where: { id } } } },
      result: { goals: [{ id, title: 'first', public: true }] },
      'result-meta': { 'page-info': {}, aggregate: {} },
    });
    expect(typeof ok['processed-tx-id']).toBe('number');
    expect(stream.raw().startsWith('retry:500\n\n')).toBe(true);
    stream.close();
  });

  it('pushes a change another client commits within 100 ms, and nothing for commits that leave the answer alone', async () => {
    const id = crypto.randomUUID();
    await db.transact(db.tx.goals[id].update({ title: 'watched', rank: 1 }));
    const stream = await subscribe({ goals: { $: { where: { title: 'watched' } } } });
    expect((await firstResult(stream)).result.goals).toHaveLength(1);

    // Another namespace, and another goal the where excludes: neither changes the answer.
    await db.transact(db.tx.notes[crypto.randomUUID()].update({ text: 'elsewhere' }));
    await db.transact(db.tx.goals[crypto.randomUUID()].update({ title: 'other' }));
    // A write of the same value: the query is re-run (the goal was touched) but its answer is unchanged.
    await db.transact(db.tx.goals[id].update({ rank: 1 }));
    expect(await stream.quiet(150)).toBe(true);

    const other = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
    await other.query({ notes: {} }); // warm: the first request of a client pays for its setup
    // Seven changes, each timed to the event's arrival (stamped as it is read off the socket) from the
    // start of the other client's transact (its whole round trip counts) and from its acknowledgment.
    // On a quiet machine both are a few ms; both are asserted at their median (a loaded machine stretches
    // the round trip itself, so single samples may go past).
    const full: number[] = [];
    const afterAck: number[] = [];
    for (const rank of [2, 3, 4, 5, 6, 7, 8]) {
      const started = performance.now();
      const { txId } = await other.transact(other.tx.goals[id].update({ rank }));
      const acked = performance.now();
      const { message: refresh, at } = await stream.nextTimed(1000);
      full.push(at - started);
      afterAck.push(at - acked);
      expect(refresh.op).toBe('refresh-ok');
      expect(refresh['processed-tx-id']).toBe(txId); // the commit's own tx-id, not a stale one
      expect(refresh.computations[0]['instaql-result'].goals).toEqual([{ id, title: 'watched', rank }]);
      expect(refresh.computations[0]['instaql-query']).toEqual({ goals: { $: { where: { title: 'watched' } } } });
    }
    const shown = `from transact start: ${full.map((ms) => ms.toFixed(1)).join(', ')} ms; after its answer: ${afterAck.map((ms) => ms.toFixed(1)).join(', ')} ms`;
    expect([...full].sort((a, b) => a - b)[3], shown).toBeLessThan(100);
    expect(afterAck.sort((a, b) => a - b)[3], shown).toBeLessThan(100);
    stream.close();
  });

  it('a new stream reports the tx-id of a commit that changed no data (an empty transaction)', async () => {
    const open = await subscribe({ goals: { $: { where: { id: crypto.randomUUID() } } } });
    await firstResult(open); // a stream open, so the server listens to commits
    await db.transact(db.tx.goals[crypto.randomUUID()].update({ title: 'data' }));
    const { txId } = await db.transact([]);
    const late = await subscribe({ goals: { $: { where: { id: crypto.randomUUID() } } } });
    expect((await firstResult(late))['processed-tx-id']).toBe(txId);
    open.close();
    late.close();
  });

  it('runs the query under the subscriber: a guest never sees what its view rule hides', async () => {
    const guest = { 'content-type': 'application/json', 'app-id': server.appId, 'as-guest': 'true' };
    const shown = crypto.randomUUID();
    const hidden = crypto.randomUUID();
    await db.transact([
      db.tx.goals[shown].update({ title: 'guest-test', public: true }),
      db.tx.goals[hidden].update({ title: 'guest-test', public: false }),
    ]);
    const stream = await subscribe({ goals: { $: { where: { title: 'guest-test' } } } }, guest);
    expect((await firstResult(stream)).result.goals.map((g: { id: string }) => g.id)).toEqual([shown]);

    // A hidden row changes: the guest's answer is the same, so nothing is sent.
    await db.transact(db.tx.goals[hidden].update({ rank: 5 }));
    expect(await stream.quiet(150)).toBe(true);
    // A visible row changes: the guest sees it, still without the hidden one.
    await db.transact(db.tx.goals[shown].update({ rank: 7 }));
    const refresh = await stream.next();
    expect(refresh.computations[0]['instaql-result'].goals).toEqual([
      { id: shown, title: 'guest-test', public: true, rank: 7 },
    ]);
    // A hidden row made public appears.
    await db.transact(db.tx.goals[hidden].update({ public: true }));
    const next = await stream.next();
    expect(next.computations[0]['instaql-result'].goals.map((g: { id: string }) => g.id).sort()).toEqual(
      [shown, hidden].sort(),
    );
    stream.close();
  });

  it('an attribute deleted (no triple written) still refreshes the answers that showed it', async () => {
    const note = crypto.randomUUID();
    await db.transact(db.tx.notes[note].update({ text: 'kept' }));
    expect((await api('POST', '/admin/transact', { steps: [['update', 'notes', note, { mood: 'ok' }]] })).status).toBe(
      200,
    );
    const stream = await subscribe({ notes: { $: { where: { id: note } } } });
    expect((await firstResult(stream)).result.notes).toEqual([{ id: note, text: 'kept', mood: 'ok' }]);
    const schema = await (await api('GET', '/admin/schema')).json();
    const mood = schema.schema.blobs.notes.mood.id;
    expect((await api('POST', '/admin/transact', { steps: [['delete-attr', mood]] })).status).toBe(200);
    const refresh = await stream.next();
    expect(refresh.computations[0]['instaql-result'].notes).toEqual([{ id: note, text: 'kept' }]);
    stream.close();
  });

  it('answers a malformed query with an error event on the open stream, as Instant does', async () => {
    const stream = await subscribe({ goals: { $: { where: { title: { $foo: 1 } } } } });
    expect(stream.status).toBe(200);
    const error = await firstResult(stream);
    expect(error).toMatchObject({ op: 'error', status: 400, type: 'validation-failed' });
    expect(error['original-event']).toMatchObject({ op: 'add-query', 'return-type': 'tree' });
    // The query is not run again after a commit.
    await db.transact(db.tx.goals[crypto.randomUUID()].update({ title: 'x' }));
    expect(await stream.quiet(100)).toBe(true);
    stream.close();
  });

  it('refuses bad requests with 400 before any stream: no query, not an object, too deep, bad token', async () => {
    const post = (body: unknown, headers = adminHeaders()) =>
      fetch(`${server.url}/admin/subscribe-query`, {
        method: 'POST',
        headers,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const missing = await post({});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ type: 'param-missing', hint: { in: ['body', 'query'] } });
    const notObject = await post({ query: [1] });
    expect(notObject.status).toBe(400);
    expect((await notObject.json()).type).toBe('param-malformed');
    const deep = `{"query":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    const tooDeep = await post(deep);
    expect(tooDeep.status).toBe(400);
    await tooDeep.text();
    const wrongToken = await post(
      { query: { goals: {} } },
      { ...adminHeaders(), authorization: `Bearer ${crypto.randomUUID()}` },
    );
    expect(wrongToken.status).toBe(400);
    expect((await wrongToken.json()).type).toBe('record-not-found');
  });

  it('caps open streams with 429 rate-limited; closing one frees its slot (the server saw it end)', async () => {
    // A server of its own, so the streams held here never crowd the other tests'.
    const own = await startLocalServer({ maxSubscriptions: 3 });
    const headers = {
      'content-type': 'application/json',
      'app-id': own.appId,
      authorization: `Bearer ${own.adminToken}`,
    };
    const open = (): Promise<SseReader> =>
      openSse(`${own.url}/admin/subscribe-query`, headers, { query: { notes: {} } });
    try {
      const held = [await open(), await open(), await open()];
      expect(held.map((stream) => stream.status)).toEqual([200, 200, 200]);
      const over = await open();
      expect(over.status).toBe(429);
      await over.ended;
      expect(JSON.parse(over.raw())).toEqual({
        type: 'rate-limited',
        message: "You're making too many requests. Please contact your deployment administrator.",
        hint: null,
      });
      held.pop()!.close();
      // The server notices the closed connection and frees the slot.
      let reopened: SseReader | undefined;
      for (let attempt = 0; attempt < 50 && reopened?.status !== 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        reopened = await open();
      }
      expect(reopened!.status).toBe(200);
      for (const stream of [...held, reopened!]) stream.close();
    } finally {
      await own.close();
    }
  });
});

describe('db.subscribeQuery against the local server', () => {
  it('delivers the typed result, then changes; close() ends the iterator and the request', async () => {
    const id = crypto.randomUUID();
    const sub = db.subscribeQuery({ goals: { $: { where: { id } } } });
    const payloads = sub[Symbol.asyncIterator]();
    const first = (await payloads.next()).value!;
    expect(first.type).toBe('ok');
    if (first.type === 'ok') {
      expect(first.data.goals).toEqual([]);
      expect(first.sessionInfo?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(sub.readyState).toBe('open');
    await db.transact(db.tx.goals[id].update({ title: 'typed' }));
    const second = (await payloads.next()).value!;
    if (second.type !== 'ok') throw new Error('expected a result');
    const title: string = second.data.goals[0]!.title;
    expect(title).toBe('typed');
    sub.close();
    expect(await payloads.next()).toEqual({ done: true, value: undefined });
    expect(sub.isClosed).toBe(true);
  });

  it('acts as the user with asUser: a guest gets the rows its rules show', async () => {
    const shown = crypto.randomUUID();
    await db.transact([
      db.tx.goals[shown].update({ title: 'as-user', public: true }),
      db.tx.goals[crypto.randomUUID()].update({ title: 'as-user', public: false }),
    ]);
    const got = await new Promise<unknown>((resolve) => {
      const sub = db.asUser({ guest: true }).subscribeQuery({ goals: { $: { where: { title: 'as-user' } } } }, (p) => {
        sub.close();
        resolve(p.type === 'ok' ? p.data.goals.map((g) => g.id) : p.error);
      });
    });
    expect(got).toEqual([shown]);
  });

  it('reports a malformed query as an error payload and keeps the stream (as Instant does)', async () => {
    const untyped = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
    const sub = untyped.subscribeQuery({ goals: { $: { where: { title: { $foo: 1 } } } } });
    const payload = (await sub[Symbol.asyncIterator]().next()).value!;
    expect(payload.type).toBe('error');
    if (payload.type === 'error') {
      expect(payload.error.name).toBe('InstantAPIError');
      expect(payload.error).toMatchObject({ status: 400, type: 'validation-failed' });
      expect(payload.isClosed).toBe(false);
    }
    sub.close();
  });

  it('a query nested 10,000 deep is an InstantValidationError naming where, before anything is sent', () => {
    const untyped = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
    let deep: Record<string, object> = {};
    for (let n = 0; n < 10_000; n++) deep = { goals: deep };
    expect(() => untyped.subscribeQuery(deep)).toThrow(InstantValidationError);
    expect(() => untyped.subscribeQuery(deep)).toThrow(/query\.goals\.goals.*nested more than 100 levels deep/);
  });

  it('leaves no handle behind once closed (no socket, no timer)', async () => {
    const count = () =>
      process.getActiveResourcesInfo().filter((name) => name === 'Timeout' || name === 'TCPSocketWrap').length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = count();
    const sub = db.subscribeQuery({ notes: {} });
    await sub[Symbol.asyncIterator]().next();
    expect(count()).toBeGreaterThan(before);
    sub.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(count()).toBeLessThanOrEqual(before);
  });
});

describe('@instantdb/admin 1.0.67 subscribeQuery against the local server', () => {
  it('receives the first result and a change made by another client', async () => {
    const official = officialInit({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
    const id = crypto.randomUUID();
    // Each payload is stamped when the SDK delivers it, to time it as the raw-stream test does.
    const arrivals: number[] = [];
    const sub = official.subscribeQuery({ goals: { $: { where: { id } } } }, () => arrivals.push(performance.now()));
    const payloads = sub[Symbol.asyncIterator]();
    const first: any = (await payloads.next()).value;
    expect(first).toMatchObject({ type: 'ok', data: { goals: [] } });
    expect(first.sessionInfo.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const full: number[] = [];
    const afterAck: number[] = [];
    for (const title of ['one', 'two', 'three', 'four', 'five']) {
      const started = performance.now();
      await db.transact(db.tx.goals[id].update({ title }));
      const acked = performance.now();
      const next: any = (await payloads.next()).value;
      const at = arrivals.at(-1)!;
      full.push(at - started);
      afterAck.push(at - acked);
      expect(next).toMatchObject({ type: 'ok', data: { goals: [{ id, title }] } });
    }
    const shown = `from transact start: ${full.map((ms) => ms.toFixed(1)).join(', ')} ms; after its answer: ${afterAck.map((ms) => ms.toFixed(1)).join(', ')} ms`;
    expect([...full].sort((a, b) => a - b)[2], shown).toBeLessThan(100);
    expect(afterAck.sort((a, b) => a - b)[2], shown).toBeLessThan(100);
    sub.close();
  });
});

describe('server.close() with streams open', () => {
  it('ends every stream at once', async () => {
    const own = await startLocalServer({});
    const stream = await openSse(
      `${own.url}/admin/subscribe-query`,
      { 'content-type': 'application/json', 'app-id': own.appId, authorization: `Bearer ${own.adminToken}` },
      { query: { goals: {} } },
    );
    expect((await stream.next()).op).toBe('sse-init');
    const started = performance.now();
    await own.close();
    await stream.ended;
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('a live query across a server restart', () => {
  it('reconnects by itself when the server comes back on the same port and database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'instant-tx-live-'));
    const dbPath = join(dir, 'app.db');
    try {
      let own = await startLocalServer({ dbPath });
      const port = Number(new URL(own.url).port);
      const client = init({ appId: own.appId, adminToken: own.adminToken, apiURI: own.url });
      const sub = client.subscribeQuery({ goals: {} });
      const payloads = sub[Symbol.asyncIterator]();
      expect((await payloads.next()).value).toMatchObject({ type: 'ok', data: { goals: [] } });
      await own.close();
      own = await startLocalServer({ dbPath, port });
      // The stream reopens (after the server's 500 ms retry, jittered) and answers afresh.
      expect((await payloads.next()).value).toMatchObject({ type: 'ok', data: { goals: [] } });
      const goal = crypto.randomUUID();
      await client.transact(client.tx.goals[goal].update({ title: 'after restart' }));
      expect((await payloads.next()).value).toMatchObject({ type: 'ok', data: { goals: [{ id: goal }] } });
      sub.close();
      await own.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
