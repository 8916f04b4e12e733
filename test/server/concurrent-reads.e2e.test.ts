import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../src/server/index.ts';
import { fetchAnswer } from '../support/fetch-answer.ts';
import { useServer, uuid } from './helpers.ts';

const ROWS = 60_000;
const LONG = { goals: { $: { where: { title: { $like: '%zz%' } } }, todos: {} } };
const small = (n: number) => ({ goals: { $: { where: { n } } } });

/** Seeds `rows` goals `{title, n}` (`title` an indexed string, which `$like` needs) in batches. */
async function seed(api: Pick<ReturnType<typeof useServer>, 'transact'>, rows: number, batch: number): Promise<void> {
  const title = {
    id: uuid(),
    'forward-identity': [uuid(), 'goals', 'title'],
    'value-type': 'blob',
    cardinality: 'one',
    'unique?': false,
    'index?': true,
    'checked-data-type': 'string',
  };
  expect((await api.transact([['add-attr', title]])).status).toBe(200);
  for (let start = 0; start < rows; start += batch) {
    const steps = Array.from({ length: batch }, (_, k) => [
      'update',
      'goals',
      uuid(),
      { title: `goal ${start + k} abababab`, n: start + k },
    ]);
    expect((await api.transact(steps)).status).toBe(200);
  }
}

/** Runs `call` and reports when it ended and how long it took (ms). */
async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number; endedAt: number }> {
  const started = performance.now();
  const value = await call();
  const endedAt = performance.now();
  return { value, ms: endedAt - started, endedAt };
}

// Queries run on read workers (off the main thread), so a long one holds up only its own worker.
describe('a long query does not hold up other requests', () => {
  const api = useServer({ timeoutMs: 60_000 });
  let longMs = 0;

  beforeAll(async () => {
    await seed(api, ROWS, 3_000);
    expect((await api.query(small(1))).status).toBe(200);
  });

  it('20 small queries all answer while it runs, each far faster than it', async () => {
    const long = timed(() => api.query(LONG));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const smalls = [];
    for (let n = 0; n < 20; n++) smalls.push(await timed(() => api.query(small(n))));
    const { value, ms, endedAt } = await long;
    longMs = ms;
    expect(value.status).toBe(200);
    expect(value.body.goals).toEqual([]);
    for (const [n, answer] of smalls.entries()) {
      expect(answer.value.body.goals).toMatchObject([{ n }]);
      expect(answer.endedAt).toBeLessThan(endedAt);
    }
    expect(Math.max(...smalls.map((answer) => answer.ms))).toBeLessThan(ms / 4);
  });

  it('reads its own writes: a committed transaction is seen by the next query, new attributes too', async () => {
    for (let round = 0; round < 5; round++) {
      const id = uuid();
      const label = `fresh${round}`;
      expect((await api.transact([['update', 'notes', id, { [label]: round }]])).status).toBe(200);
      const answer = await api.query({ notes: { $: { where: { [label]: round } } } });
      expect(answer.status).toBe(200);
      expect(answer.body.notes).toEqual([{ id, [label]: round }]);
    }
    const answer = await api.query({ notes: {} });
    expect(answer.body.notes).toHaveLength(5);
  });

  it('close() during a long query returns at once, without waiting for it', async () => {
    const server = api.server;
    const headers = { 'content-type': 'application/json', 'app-id': server.appId };
    const auth = { ...headers, authorization: `Bearer ${server.adminToken}` };
    const long = fetchAnswer(`${server.url}/admin/query`, 'POST', auth, { query: LONG }).catch(() => 'closed');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { ms } = await timed(() => server.close());
    api.server = await startLocalServer(); // for afterAll's close
    expect(ms).toBeLessThan(Math.min(1_000, longMs / 2));
    expect(await long).toBe('closed');
  });
});

describe('a query past its time budget on a read worker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'instant-tx-budget-'));
  const dbPath = join(dir, 'app.db');
  let server: LocalServer;
  const call = (path: string, body: unknown) =>
    fetchAnswer(
      `${server.url}${path}`,
      'POST',
      { 'content-type': 'application/json', 'app-id': server.appId, authorization: `Bearer ${server.adminToken}` },
      body,
    );
  const api = {
    transact: (steps: unknown[]) => call('/admin/transact', { steps }),
    query: (query: unknown) => call('/admin/query', { query }),
  };

  beforeAll(async () => {
    // Seeded under the default budget, then reopened with 100 ms: on a loaded machine a seeding
    // transaction could itself take longer than the budget under test.
    server = await startLocalServer({ dbPath });
    await seed(api, 30_000, 3_000);
    await server.close();
    server = await startLocalServer({ dbPath, timeoutMs: 100 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is answered 429 timeout, and the next query is answered', async () => {
    const stopped = await api.query(LONG);
    expect(stopped.status).toBe(429);
    expect(stopped.body).toEqual({ type: 'timeout', message: 'The query took too long to complete.', hint: null });
    const next = await api.query(small(7));
    expect(next.status).toBe(200);
    expect(next.body.goals).toMatchObject([{ n: 7 }]);
  });
});
