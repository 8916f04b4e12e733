import { init as officialInit } from '@instantdb/admin';
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.ts';
import { openSse } from './sse-reader.ts';
import { useServer } from './helpers.ts';

// Instant's own pagination test (instaql_test.clj), through a live query's `result-meta`: users created
// in the order stopa, joe, alex, nicolegf.
const HANDLES = ['stopa', 'joe', 'alex', 'nicolegf'];

describe('page-info of a live query, by the rules of Instant’s pagination test', () => {
  const api = useServer();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    for (const handle of HANDLES) {
      ids[handle] = crypto.randomUUID();
      expect((await api.transact([['update', 'users', ids[handle], { handle }]])).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 3)); // distinct creation times
    }
  });

  /** The first answer of a live query over `users` with these `$` options: handles and page-info. */
  async function page($: Record<string, unknown>): Promise<{ handles: string[]; info: any }> {
    const stream = await openSse(
      `${api.server.url}/admin/subscribe-query`,
      {
        'content-type': 'application/json',
        'app-id': api.server.appId,
        authorization: `Bearer ${api.server.adminToken}`,
      },
      { query: { users: { $ } } },
    );
    await stream.next();
    const ok = await stream.next();
    stream.close();
    expect(ok.op, JSON.stringify(ok)).toBe('add-query-ok');
    return {
      handles: ok.result.users.map((u: { handle: string }) => u.handle),
      info: ok['result-meta']['page-info'].users,
    };
  }
  const flags = (info: any) => ({ next: info['has-next-page?'], prev: info['has-previous-page?'] });

  it('cursors are join rows of the id triple, usable as after/before', async () => {
    const { info } = await page({ limit: 1, where: { handle: 'alex' } });
    const [entity, attr, value, createdAt] = info['start-cursor'];
    expect(entity).toBe(ids.alex);
    expect(value).toBe(ids.alex);
    expect(typeof attr).toBe('string');
    expect(typeof createdAt).toBe('number');
    expect(info['end-cursor']).toEqual(info['start-cursor']);
  });

  it('has-next-page? and has-previous-page? as Instant answers them', async () => {
    const alex = (await page({ limit: 1, where: { handle: 'alex' } })).info['start-cursor'];
    const nicole = (await page({ limit: 1, where: { handle: 'nicolegf' } })).info['start-cursor'];
    const asc = { serverCreatedAt: 'asc' };
    const cases: [Record<string, unknown>, string[], { next: boolean; prev: boolean }][] = [
      [{ order: asc }, HANDLES, { next: false, prev: false }],
      [{ limit: 2, order: asc }, ['stopa', 'joe'], { next: true, prev: false }],
      [{ limit: 2, offset: 1, order: asc }, ['joe', 'alex'], { next: true, prev: true }],
      [{ limit: 1, offset: 999 }, [], { next: false, prev: true }],
      [{ last: 1, before: alex, order: asc }, ['joe'], { next: true, prev: true }],
      [{ last: 2, before: alex, order: asc }, ['stopa', 'joe'], { next: true, prev: false }],
      [{ first: 1, after: alex, order: asc }, ['nicolegf'], { next: false, prev: true }],
      [{ first: 1, after: nicole, order: asc }, [], { next: false, prev: true }],
      [{ first: 1, after: alex, order: { serverCreatedAt: 'desc' } }, ['joe'], { next: true, prev: true }],
    ];
    for (const [$, handles, expected] of cases) {
      const { handles: got, info } = await page($);
      expect(got, JSON.stringify($)).toEqual(handles);
      expect(flags(info), JSON.stringify($)).toEqual(expected);
      if (handles.length === 0) expect(info['start-cursor']).toBeNull();
    }
  });

  it('a node that neither pages nor orders has none, as in Instant', async () => {
    const stream = await openSse(
      `${api.server.url}/admin/subscribe-query`,
      {
        'content-type': 'application/json',
        'app-id': api.server.appId,
        authorization: `Bearer ${api.server.adminToken}`,
      },
      { query: { users: {} } },
    );
    await stream.next();
    expect((await stream.next())['result-meta']).toEqual({ 'page-info': {}, aggregate: {} });
    stream.close();
  });

  it('both SDKs turn it into pageInfo, and the end cursor fetches the next page', async () => {
    const q = { users: { $: { first: 2, order: { serverCreatedAt: 'asc' as const } } } };
    const ours = init({ appId: api.server.appId, adminToken: api.server.adminToken, apiURI: api.server.url });
    const theirs = officialInit({ appId: api.server.appId, adminToken: api.server.adminToken, apiURI: api.server.url });
    for (const db of [ours, theirs] as any[]) {
      const sub = db.subscribeQuery(q);
      const payload = (await sub[Symbol.asyncIterator]().next()).value;
      sub.close();
      expect(payload.pageInfo.users).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const next = await ours.query({ users: { $: { first: 2, after: payload.pageInfo.users.endCursor } } });
      expect(next.users.map((u) => u.handle)).toEqual(['alex', 'nicolegf']);
    }
  });
});
