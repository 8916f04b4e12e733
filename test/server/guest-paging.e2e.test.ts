import { beforeAll, describe, expect, it } from 'vitest';
import { useServer, uuid } from './helpers.ts';

// A guest's page must not evaluate the view rule on every row of the namespace: the perms-check route
// reports each rule evaluation, which makes the number of rows looked at observable.
describe('a page read by a guest looks at about as many rows as it returns', () => {
  const api = useServer({ rules: { goals: { allow: { view: 'data.even == true' } } } });
  const GUEST = { 'as-guest': 'true' };

  /** Every goal's `n` in the server's creation order (ties by id), as the admin sees them. */
  let order: number[] = [];
  const visibleInOrder = () => order.filter((n) => n % 2 === 0);

  beforeAll(async () => {
    const steps = Array.from({ length: 2000 }, (_, n) => ['update', 'goals', uuid(), { n, even: n % 2 === 0 }]);
    for (let start = 0; start < steps.length; start += 500) await api.transact(steps.slice(start, start + 500));
    order = (await api.query({ goals: {} })).body.goals.map((goal: { n: number }) => goal.n);
  });

  it('returns the first visible rows in creation order, checking the rule only on the rows up to the last one returned', async () => {
    const answer = await api.call(
      'POST',
      '/admin/query_perms_check',
      { query: { goals: { $: { limit: 20 } } } },
      GUEST,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.result.goals.map((goal: { n: number }) => goal.n)).toEqual(visibleInOrder().slice(0, 20));
    const checked = answer.body['check-results'].filter((check: { entity: string }) => check.entity === 'goals');
    // exactly the rows up to the 20th visible one, not the 2,000 of the table
    expect(checked.length).toBe(order.indexOf(visibleInOrder()[19]!) + 1);
  });

  it('an offset and a where clause are honoured the same way', async () => {
    const answer = await api.query(
      { goals: { $: { where: { n: { $not: 4 } }, offset: 2, limit: 3 } } },
      {},
      { ...GUEST, authorization: '' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.goals.map((goal: { n: number }) => goal.n)).toEqual(
      visibleInOrder()
        .filter((n) => n !== 4)
        .slice(2, 5),
    );
  });
});
