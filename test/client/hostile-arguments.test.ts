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
    [
      'ruleParams nested 10,000 deep',
      () => db.subscribeQuery({ goals: {} } as never, undefined, { ruleParams: deep as never }),
    ],
  ])('subscribeQuery with %s', (_name, subscribe) => {
    expect(subscribe).toThrow(InstantValidationError);
    expect(subscribe).toThrow(/Invalid query: body: cannot be sent as JSON/);
  });

  it('uploadFile with a timeout a timer cannot take', async () => {
    for (const timeout of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY])
      await expect(db.storage.uploadFile('a.txt', Buffer.from('x'), { timeout })).rejects.toThrow(
        /storage\.uploadFile\.timeout: expected a positive number of ms/,
      );
  });
});
