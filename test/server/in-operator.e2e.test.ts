import { beforeAll, describe, expect, it } from 'vitest';
import { ValueSet } from '../../src/server/query/value-set.ts';
import { useServer, uuid } from './helpers.ts';

describe('ValueSet: $in membership with where-equality semantics', () => {
  it('strict for most values, case-insensitive for 36-character strings, null for missing', () => {
    const id = '8AA64E4C-64F9-472E-8A61-3FA28870E6CB';
    const set = ValueSet.of(['a', 1, true, null, id]);
    expect([set.has('a'), set.has('A'), set.has(1), set.has('1'), set.has(true), set.has(false)]).toEqual([
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
    expect(set.has(id.toLowerCase())).toBe(true);
    expect(set.has(null)).toBe(true);
    expect(ValueSet.of(['a']).has(null)).toBe(false);
    expect(set.has({ a: 1 })).toBe(false);
  });
});

// 20,000 rows × 100,000 values: a scan of the list per row is 2·10⁹ comparisons, past the server's
// 5-second budget (a 429); with a set it is 20,000 lookups.
describe('$in with 100,000 values over 20,000 rows', () => {
  const api = useServer();

  beforeAll(async () => {
    for (let batch = 0; batch < 40; batch++) {
      const steps = Array.from({ length: 500 }, (_, n) => ['update', 'goals', uuid(), { n: batch * 500 + n }]);
      expect((await api.transact(steps)).status).toBe(200);
    }
  });

  it('answers with exactly the matching rows, well inside the time budget', async () => {
    const values = Array.from({ length: 100_000 }, (_, index) => index * 7);
    const answer = await api.query({ goals: { $: { where: { n: { $in: values } } } } });
    expect(answer.status).toBe(200);
    const found = answer.body.goals.map((goal: { n: number }) => goal.n).sort((a: number, b: number) => a - b);
    expect(found).toEqual(Array.from({ length: Math.ceil(20_000 / 7) }, (_, index) => index * 7));
  });
});

describe('limits on a where clause', () => {
  const api = useServer();

  it('more than 10,000 conditions is a 400 naming the limit', async () => {
    const or = Array.from({ length: 10_001 }, (_, n) => ({ n }));
    const answer = await api.query({ goals: { $: { where: { or } } } });
    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe('validation-failed');
    expect(answer.body.message).toBe(
      'Validation failed for query: A `where` clause may hold at most 10000 conditions; this one has 10001.',
    );
    expect(answer.body.hint.errors[0]).toMatchObject({
      expected: 'at-most-10000-conditions?',
      in: ['goals', '$', 'where'],
    });
  });

  it('an $in of more than 1,000,000 values is a 400 naming the limit', async () => {
    const answer = await api.query({
      goals: { $: { where: { n: { $in: Array.from({ length: 1_000_001 }, () => 1) } } } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('`$in` may list at most 1000000 values; this one has 1000001.');
  });

  it('10,000 conditions are still answered', async () => {
    const or = Array.from({ length: 10_000 }, (_, n) => ({ n }));
    expect((await api.query({ goals: { $: { where: { or } } } })).status).toBe(200);
  });
});
