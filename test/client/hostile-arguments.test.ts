import { describe, expect, it } from 'vitest';
import { init, InstantValidationError } from '../../src/index.ts';

// Arguments JSON cannot carry, or a timer cannot take, are the caller's mistakes: an InstantValidationError
// before anything is sent, never a raw TypeError or RangeError. (Nothing listens on the apiURI.)
describe('bad arguments to subscribeQuery and storage.uploadFile', () => {
  const db = init({ appId: crypto.randomUUID(), adminToken: crypto.randomUUID(), apiURI: 'http://127.0.0.1:9' });
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  let deep: unknown = 1;
  for (let level = 0; level < 10_000; level++) deep = { a: deep };

  it.each([
    ['a cycle in the query', () => db.subscribeQuery({ goals: { $: { where: cycle } } } as never)],
    ['a BigInt in the query', () => db.subscribeQuery({ goals: { $: { where: { n: 1n } } } } as never)],
  ])('subscribeQuery with %s', (_name, subscribe) => {
    expect(subscribe).toThrow(InstantValidationError);
    expect(subscribe).toThrow(/Invalid query: body: cannot be sent as JSON/);
  });

  it('a query or ruleParams nested 10,000 deep: named as too deep (was a stack overflow "Invalid transaction")', async () => {
    expect(() => db.subscribeQuery({ goals: {} } as never, undefined, { ruleParams: deep as never })).toThrow(
      /^Invalid query: ruleParams(\.a)+: nested more than 100 levels deep/,
    );
    await expect(db.query({ goals: { $: { where: deep } } } as never)).rejects.toThrow(
      /^Invalid query: query\.goals\.\$\.where(\.a)+: nested more than 100 levels deep/,
    );
  });

  it('uploadFile with a timeout a timer cannot take', async () => {
    for (const timeout of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY])
      await expect(db.storage.uploadFile('a.txt', Buffer.from('x'), { timeout })).rejects.toThrow(
        /storage\.uploadFile\.timeout: expected a whole number from 1 to 2147483647, got/,
      );
  });
});

describe('numbers JSON or a timer cannot take: refused before anything is sent', () => {
  const base = { appId: crypto.randomUUID(), adminToken: crypto.randomUUID(), apiURI: 'http://127.0.0.1:9' };
  let sent = 0;
  const counting = (async () => {
    sent++;
    throw new TypeError('fetch failed');
  }) as unknown as typeof fetch;

  it.each([
    ['timeout', { timeout: -1 }, /init\.timeout: expected a whole number from 1 to 2147483647, got -1/],
    [
      'retry.limit',
      { retry: { limit: Number.NaN } },
      /init\.retry\.limit: expected a whole number from 0 to 100, got NaN/,
    ],
    [
      'retry.totalTimeout',
      { retry: { totalTimeout: Number.POSITIVE_INFINITY } },
      /init\.retry\.totalTimeout: .*got Infinity/,
    ],
    [
      'retry.transact',
      { retry: { transact: 'sometimes' } },
      /init\.retry\.transact: expected 'safe', 'idempotent' or 'never'/,
    ],
  ])('init with a bad %s', (_name, options, message) => {
    expect(() => init({ ...base, ...options } as never)).toThrow(InstantValidationError);
    expect(() => init({ ...base, ...options } as never)).toThrow(message);
  });

  it('a call timeout of NaN, 0, -1 or Infinity (ky threw a bare RangeError; NaN became a 1 ms timer)', async () => {
    const db = init({ ...base, fetch: counting });
    for (const timeout of [Number.NaN, 0, -1, 1.5, Number.POSITIVE_INFINITY]) {
      await expect(db.query({ goals: {} }, { timeout })).rejects.toThrow(
        /options\.timeout \(\/admin\/query\): expected a whole number from 1 to 2147483647/,
      );
      await expect(db.transact([], { timeout })).rejects.toThrow(InstantValidationError);
    }
    expect(sent).toBe(0);
  });

  it('NaN or Infinity in a query, with or without a schema (JSON would send null: limit NaN meant no limit)', async () => {
    const db = init({ ...base, fetch: counting });
    await expect(db.query({ goals: { $: { limit: Number.NaN } } })).rejects.toThrow(
      /query\.goals\.\$\.limit: NaN is not a JSON number/,
    );
    await expect(db.query({ goals: { $: { where: { n: Number.NEGATIVE_INFINITY } } } } as never)).rejects.toThrow(
      /query\.goals\.\$\.where\.n: -Infinity is not a JSON number/,
    );
    expect(() => db.subscribeQuery({ goals: { $: { limit: Number.POSITIVE_INFINITY } } })).toThrow(
      /query\.goals\.\$\.limit: Infinity is not a JSON number/,
    );
    await expect(db.query({ goals: {} }, { ruleParams: { code: Number.NaN } })).rejects.toThrow(
      /ruleParams\.code: NaN is not a JSON number/,
    );
    expect(() => db.subscribeQuery({ goals: {} }, undefined, { timeout: Number.NaN })).toThrow(
      /options\.timeout \(\/admin\/subscribe-query\): expected a whole number/,
    );
    expect(sent).toBe(0);
  });
});
