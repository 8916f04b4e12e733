import { describe, expect, it } from 'vitest';
import { readCookie } from '../../src/client/request-cookie.ts';
import { isLoopbackAddress, refusal } from '../../src/server/explorer/request-guard.ts';
import { ExplorerSessions } from '../../src/server/explorer/sessions.ts';
import { RecentTransactions } from '../../src/server/store/recent-transactions.ts';

describe('RecentTransactions', () => {
  it('keeps the newest, up to its capacity, newest first; a dropped write never shows', () => {
    const recent = new RecentTransactions(3);
    recent.enable();
    for (let txId = 1; txId <= 5; txId++) {
      recent.stage({ txId, by: 'admin', steps: [['update', 'goals', String(txId), {}]] });
      recent.commit(txId * 1000);
    }
    recent.stage({ txId: 6, by: 'guest', steps: [] });
    recent.drop();
    recent.commit(7000);
    expect(recent.list().map((tx) => tx.txId)).toEqual([5, 4, 3]);
    expect(recent.list()[0]).toEqual({
      txId: 5,
      at: 5000,
      by: 'admin',
      stepCount: 1,
      steps: ['["update","goals","5",{}]'],
    });
  });

  it('records nothing until enabled (a server without the explorer pays nothing per write)', () => {
    const recent = new RecentTransactions(3);
    recent.stage({ txId: 1, by: 'admin', steps: [['update', 'goals', '1', {}]] });
    recent.commit(1000);
    expect(recent.list()).toEqual([]);
    recent.enable();
    recent.stage({ txId: 2, by: 'admin', steps: [] });
    recent.commit(2000);
    expect(recent.list().map((tx) => tx.txId)).toEqual([2]);
  });

  it('keeps a bounded preview of a huge transaction', () => {
    const recent = new RecentTransactions(2);
    recent.enable();
    const steps = Array.from({ length: 100_000 }, (_, i) => ['update', 'goals', String(i), { text: 'x'.repeat(1000) }]);
    recent.stage({ txId: 1, by: 'admin', steps });
    recent.commit(0);
    const [tx] = recent.list();
    expect(tx!.stepCount).toBe(100_000);
    expect(tx!.steps).toHaveLength(20);
    expect(tx!.steps[0]!.length).toBeLessThanOrEqual(401);
    expect(tx!.steps[0]!.endsWith('…')).toBe(true);
  });

  it('previews a step as its JSON, and a huge value without reading all of it', () => {
    const recent = new RecentTransactions(2);
    recent.enable();
    const step = ['update', 'goals', 'x', { a: [1, null, true], 'b"c': { d: 'é' } }];
    const big = ['update', 'goals', 'y', { text: 'x'.repeat(10_000_000), more: Array.from({ length: 1e6 }, () => 1) }];
    // Past the first 400 characters nothing is read: this element would throw if it were.
    const numbers: number[] = Array.from({ length: 1000 }, () => 1);
    Object.defineProperty(numbers, 500, {
      get: () => {
        throw new Error('read past the preview');
      },
    });
    recent.stage({ txId: 1, by: 'admin', steps: [step, big, ['update', 'goals', 'z', { numbers }]] });
    recent.commit(0);
    const [small, cut, lazy] = recent.list()[0]!.steps;
    expect(small).toBe(JSON.stringify(step));
    expect(cut).toBe(`${JSON.stringify(big).slice(0, 400)}…`);
    expect(lazy).toMatch(/^\["update","goals","z",\{"numbers":\[1,1,.*…$/);
  });
});

describe('ExplorerSessions', () => {
  it('a secret opens one session, once, before it expires', () => {
    let now = 0;
    const sessions = new ExplorerSessions(1000, () => now);
    const secret = sessions.mintSecret();
    const late = sessions.mintSecret();
    const session = sessions.redeem(secret);
    expect(sessions.isOpen(session)).toBe(true);
    expect(sessions.redeem(secret)).toBeUndefined();
    now = 1001;
    expect(sessions.redeem(late)).toBeUndefined();
    expect(sessions.isOpen('')).toBe(false);
    expect(sessions.isOpen(undefined)).toBe(false);
    sessions.close(session);
    expect(sessions.isOpen(session)).toBe(false);
  });
});

describe('the request guard', () => {
  const options = { port: 4000, allowRemote: false };
  it('knows loopback addresses', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(address)).toBe(true);
    for (const address of ['10.0.0.1', '::ffff:192.168.1.2', '128.0.0.1', '', undefined])
      expect(isLoopbackAddress(address)).toBe(false);
  });

  it('refuses other machines and other hosts unless allowRemote', () => {
    expect(refusal({ host: '127.0.0.1:4000' }, '10.0.0.5', options, true)).toContain('loopback');
    expect(refusal({ host: 'myhost:4000' }, '127.0.0.1', options, true)).toContain('Host');
    expect(refusal({ host: '127.0.0.1:4000' }, '127.0.0.1', options, true)).toBeUndefined();
    expect(refusal({ host: '[::1]:4000' }, '::1', options, true)).toBeUndefined();
    expect(refusal({ host: 'LOCALHOST:4000' }, '127.0.0.1', options, true)).toBeUndefined(); // host names ignore case
    const remote = { port: 4000, allowRemote: true };
    expect(refusal({ host: 'myhost:4000', origin: 'http://myhost:4000' }, '10.0.0.5', remote, false)).toBeUndefined();
    expect(refusal({ host: 'myhost:4000', origin: 'http://evil' }, '10.0.0.5', remote, false)).toContain('origin');
  });

  it('lets a typed-in address load the page but not call the API', () => {
    const headers = { host: '127.0.0.1:4000', 'sec-fetch-site': 'none' };
    expect(refusal(headers, '127.0.0.1', options, true)).toBeUndefined();
    expect(refusal(headers, '127.0.0.1', options, false)).toContain('another site');
  });

  it('reads one cookie', () => {
    expect(readCookie({ cookie: 'a=1; instant_tx_explorer_4000=abc; b=2' }, 'instant_tx_explorer_4000')).toBe('abc');
    expect(readCookie({ cookie: 'xinstant_tx_explorer_4000=abc' }, 'instant_tx_explorer_4000')).toBeUndefined();
    expect(readCookie({}, 'a')).toBeUndefined();
  });
});

describe("the query editor's suggestions", async () => {
  // A browser module with no DOM use: loaded by URL, so that the TypeScript checker leaves it alone.
  const { namesAt } = (await import(
    new URL('../../src/server/explorer/assets/suggest.js', import.meta.url).href
  )) as any;
  const schema = new Map([
    ['users', { attrs: [{ label: 'handle' }], links: [{ label: 'bookshelves', target: 'bookshelves' }] }],
    ['bookshelves', { attrs: [{ label: 'name' }], links: [{ label: 'books', target: 'books' }] }],
    ['books', { attrs: [{ label: 'title' }], links: [] }],
  ]);
  const at = (text: string): string[] => namesAt(schema, text, text.length);

  it('offers namespaces at the top, links and $ inside a node, attributes and options inside $', () => {
    expect(at('{"')).toEqual(['users', 'bookshelves', 'books']);
    expect(at('{"users": {"')).toEqual(['$', 'bookshelves']);
    expect(at('{"users": {"bookshelves": {"')).toEqual(['$', 'books']);
    expect(at('{"users": {"bookshelves": {"$": {"where": {"')).toEqual(expect.arrayContaining(['name', '$in', 'id']));
    expect(at('{"users": {"$": {"where": {"handle": "x"}}, "')).toEqual(['$', 'bookshelves']);
    expect(at('{"users": {}, "')).toEqual(['users', 'bookshelves', 'books']);
    expect(at('{"users": {"$": {"where": {"handle": "a\\"{"}}, "')).toEqual(['$', 'bookshelves']);
  });
});
