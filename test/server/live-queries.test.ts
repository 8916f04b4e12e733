import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/server/api/api-error.ts';
import type { ApiRequest } from '../../src/server/api/api-request.ts';
import { LiveQueryHub } from '../../src/server/live/live-query-hub.ts';
import type { RunTracked } from '../../src/server/live/subscription.ts';
import { runQuery } from '../../src/server/query/run-query.ts';
import { Storage } from '../../src/server/store/storage.ts';
import { runTransaction } from '../../src/server/transact/run-transaction.ts';

/** Just enough of a ServerResponse: records what is written, and can pretend to be backed up. */
class FakeResponse extends EventEmitter {
  written: string[] = [];
  writableNeedDrain = false;
  destroyed = false;
  writeHead(): this {
    return this;
  }
  write(text: string): boolean {
    this.written.push(text);
    return !this.writableNeedDrain;
  }
  end(): void {
    this.destroyed = true;
    this.emit('close');
  }
  /** The JSON messages sent so far. */
  messages(): any[] {
    return this.written.filter((text) => text.startsWith('data:')).map((text) => JSON.parse(text.slice(5)));
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const request = (query: object): ApiRequest => ({
  method: 'POST',
  path: '/admin/subscribe-query',
  query: new URLSearchParams(),
  headers: {},
  body: { query },
});

let storage: Storage;
let hub: LiveQueryHub;
afterEach(() => {
  hub?.close();
  storage?.close();
});

/** A hub over an in-memory storage whose runs (counted) read on this thread, with their footprint. */
function setUp(): { runs: () => number } {
  storage = Storage.open(':memory:');
  let runs = 0;
  const run: RunTracked = async (req) => {
    runs++;
    storage.store.trackReads();
    const result = runQuery(storage.registry, storage.store, req.body.query as Record<string, unknown>, {
      inference: false,
    });
    const text = JSON.stringify({ result, 'result-meta': {} });
    return { text, reads: storage.store.takeReads() };
  };
  hub = new LiveQueryHub({ storage, run, maxSubscriptions: 10, log: () => undefined });
  return { runs: () => runs };
}

const update = (ns: string, id: string, attrs: Record<string, unknown>) =>
  storage.write(() => runTransaction(storage, [['update', ns, id, attrs]], { throwOnMissingAttrs: false }));

describe('a run that fails', () => {
  it('is an error event about the refresh (Instant statuses), and a later run recovers', async () => {
    storage = Storage.open(':memory:');
    const lines: string[] = [];
    const outcomes: (() => Promise<{ text: string; reads: undefined }>)[] = [
      async () => ({ text: '{"result":{"goals":[]},"result-meta":{}}', reads: undefined }),
      async () => {
        throw new ApiError(429, 'timeout', 'The query took too long to complete.', null);
      },
      async () => {
        throw new TypeError('boom');
      },
      async () => ({ text: '{"result":{"goals":[1]},"result-meta":{}}', reads: undefined }),
    ];
    hub = new LiveQueryHub({
      storage,
      run: () => outcomes.shift()!(),
      maxSubscriptions: 1,
      log: (line) => lines.push(line),
    });
    const res = new FakeResponse();
    hub.open(request({ goals: {} }), res as unknown as ServerResponse);
    await tick();
    for (let n = 0; n < 3; n++) {
      update('goals', crypto.randomUUID(), { title: 'x' });
      await tick();
    }
    const [, , timeout, crash, refresh] = res.messages();
    expect(timeout).toMatchObject({ op: 'error', status: 500, type: 'timeout', 'original-event': { op: 'refresh' } });
    expect(crash).toMatchObject({
      op: 'error',
      status: 500,
      message: 'Yikes, something broke on our end! Sorry about that.',
    });
    expect(lines[0]).toContain(crash.hint['trace-id']);
    expect(lines[0]).toContain('boom');
    expect(refresh.computations[0]['instaql-result']).toEqual({ goals: [1] });
    // The cap: a second stream is refused before anything is written.
    expect(() => hub.open(request({ goals: {} }), new FakeResponse() as unknown as ServerResponse)).toThrow(
      expect.objectContaining({ status: 429, type: 'rate-limited' }),
    );
  });
});

describe('live queries re-run only when a commit touches what they read', () => {
  it('skips commits to other namespaces and re-runs for its own', async () => {
    const counter = setUp();
    const goal = crypto.randomUUID();
    update('goals', goal, { title: 'a' });
    update('notes', crypto.randomUUID(), { text: 'n' });
    const res = new FakeResponse();
    hub.open(request({ goals: {} }), res as unknown as ServerResponse);
    await tick();
    expect(counter.runs()).toBe(1);
    expect(res.messages().map((m) => m.op)).toEqual(['sse-init', 'add-query-ok']);

    update('notes', crypto.randomUUID(), { text: 'other' });
    await tick();
    expect(counter.runs()).toBe(1);

    update('goals', goal, { title: 'b' });
    await tick();
    expect(counter.runs()).toBe(2);
    expect(res.messages().at(-1).computations[0]['instaql-result'].goals[0].title).toBe('b');
  });

  it('coalesces commits while the client is backed up into one run, sent on drain', async () => {
    const counter = setUp();
    const goal = crypto.randomUUID();
    update('goals', goal, { title: 'v0' });
    const res = new FakeResponse();
    hub.open(request({ goals: {} }), res as unknown as ServerResponse);
    await tick();
    res.writableNeedDrain = true;
    for (let n = 1; n <= 50; n++) update('goals', goal, { title: `v${n}` });
    await tick();
    expect(counter.runs()).toBe(1);
    const sent = res.messages().length;
    res.writableNeedDrain = false;
    res.emit('drain');
    await tick();
    expect(counter.runs()).toBe(2);
    expect(res.messages()).toHaveLength(sent + 1);
    expect(res.messages().at(-1).computations[0]['instaql-result'].goals[0].title).toBe('v50');
  });

  it('keeps only the newest event while the socket is backed up', async () => {
    setUp();
    const goal = crypto.randomUUID();
    update('goals', goal, { title: 'v0' });
    const res = new FakeResponse();
    hub.open(request({ goals: {} }), res as unknown as ServerResponse);
    await tick();
    // A run already in flight when the socket backs up: its answer waits, replaced by any newer one.
    update('goals', goal, { title: 'v1' });
    res.writableNeedDrain = true;
    await tick();
    const before = res.messages().length;
    res.writableNeedDrain = false;
    res.emit('drain');
    await tick();
    expect(res.messages()).toHaveLength(before + 1);
    expect(res.messages().at(-1).computations[0]['instaql-result'].goals[0].title).toBe('v1');
  });

  it('does not hold a slot for a client that left before its stream opened', async () => {
    setUp();
    const gone = new FakeResponse();
    gone.destroyed = true;
    hub.open(request({ goals: {} }), gone as unknown as ServerResponse);
    expect(hub.size).toBe(0);
  });

  it('forgets a stream once its connection closes, and close() ends the rest', async () => {
    setUp();
    const first = new FakeResponse();
    const second = new FakeResponse();
    hub.open(request({ goals: {} }), first as unknown as ServerResponse);
    hub.open(request({ goals: {} }), second as unknown as ServerResponse);
    expect(hub.size).toBe(2);
    first.emit('close');
    expect(hub.size).toBe(1);
    hub.close();
    expect(second.destroyed).toBe(true);
    expect(hub.size).toBe(0);
  });
});
