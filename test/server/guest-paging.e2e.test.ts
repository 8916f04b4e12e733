import { beforeAll, describe, expect, it } from 'vitest';
import { useServer, uuid } from './helpers.ts';

// A guest's page must not evaluate the view rule on every row of the namespace: the perms-check route
// reports each rule evaluation, which makes the number of rows looked at observable.
describe('a page read by a guest looks at about as many rows as it returns', () => {
  // `%` keeps the rule from being turned into a database filter (see the next describe).
  const api = useServer({ rules: { goals: { allow: { view: 'data.n % 2 == 0' } } } });
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

// Like Instant, which turns a view rule into `where` clauses to page in the database, the equalities a
// rule requires of every visible row (`data.label == literal | auth.key`, joined by `&&`) are checked by
// SQLite: rows without them are never read, so the rule is evaluated only on the rows returned.
describe('the values a view rule requires are matched in the database', () => {
  const api = useServer({
    rules: {
      goals: {
        allow: { view: 'cel.bind(me, auth.id, data.even == true && data.owner == me) || false' },
      },
      todos: { allow: { view: 'cel.bind(me, auth.id, data.even == true && me == data.owner && data.n >= 0)' } },
      notes: { allow: { view: 'data.kind == "public" && data["$tag"] == 7' } },
    },
  });
  let alyssa: { id: string; token: string };
  let ben: { id: string; token: string };
  let order: { n: number; owner: string }[] = [];

  const userWithToken = async (email: string) => {
    const answer = await api.call('POST', '/admin/refresh_tokens', { email });
    return { id: answer.body.user.id as string, token: answer.body.user.refresh_token as string };
  };

  beforeAll(async () => {
    alyssa = await userWithToken('alyssa@example.com');
    ben = await userWithToken('ben@example.com');
    const rows = Array.from({ length: 600 }, (_, n) => ({
      n,
      even: n % 2 === 0,
      owner: n % 3 === 0 ? alyssa.id : ben.id,
    }));
    await api.transact(rows.map((row) => ['update', 'todos', uuid(), row]));
    await api.transact(rows.map((row) => ['update', 'goals', uuid(), row]));
    await api.transact(
      Array.from({ length: 300 }, (_, n) => [
        'update',
        'notes',
        uuid(),
        { n, kind: n % 4 === 0 ? 'public' : 'private', $tag: n % 8 === 0 ? 7 : 8 },
      ]),
    );
    order = (await api.query({ todos: {} })).body.todos;
  });

  const checkedRows = (body: { 'check-results': { entity: string; check?: boolean }[] }, ns: string) =>
    body['check-results'].filter((check) => check.entity === ns);

  it("a user's page holds the first rows the rule lets through, and the rule ran on those rows only", async () => {
    const answer = await api.call(
      'POST',
      '/admin/query_perms_check',
      { query: { todos: { $: { limit: 20, offset: 5 } } } },
      { 'as-token': alyssa.token },
    );
    expect(answer.status).toBe(200);
    const expected = order.filter((row) => row.n % 2 === 0 && row.owner === alyssa.id).slice(5, 25);
    expect(answer.body.result.todos.map((row: { n: number }) => row.n)).toEqual(expected.map((row) => row.n));
    expect(checkedRows(answer.body, 'todos')).toHaveLength(25);
    expect(checkedRows(answer.body, 'todos').every((check: { entity: string; check?: boolean }) => check.check)).toBe(
      true,
    );
  });

  it('another user gets their own rows; a guest (auth.id is null) gets none and is not filtered by a null', async () => {
    const asBen = await api.query({ todos: { $: { limit: 10 } } }, {}, { 'as-token': ben.token });
    expect(asBen.body.todos.map((row: { n: number }) => row.n)).toEqual(
      order
        .filter((row) => row.n % 2 === 0 && row.owner === ben.id)
        .slice(0, 10)
        .map((row) => row.n),
    );
    const asGuest = await api.query({ todos: { $: { limit: 10 } } }, {}, { 'as-guest': 'true' });
    expect(asGuest.body).toEqual({ todos: [] });
  });

  it('a rule with `||` at the top requires nothing: rows are evaluated one by one, with the same answer', async () => {
    const answer = await api.call(
      'POST',
      '/admin/query_perms_check',
      { query: { goals: { $: { limit: 5 } } } },
      { 'as-token': alyssa.token },
    );
    expect(answer.status).toBe(200);
    const goals = (await api.query({ goals: {} })).body.goals as { n: number; even: boolean; owner: string }[];
    const expected = goals.filter((row) => row.even && row.owner === alyssa.id).slice(0, 5);
    expect(answer.body.result.goals.map((row: { n: number }) => row.n)).toEqual(expected.map((row) => row.n));
    // the rule ran on every row up to the fifth visible one, rejected rows included
    expect(checkedRows(answer.body, 'goals').length).toBe(goals.indexOf(expected[4]!) + 1);
  });

  it('string literals and `data["$key"]` are matched too', async () => {
    const answer = await api.call(
      'POST',
      '/admin/query_perms_check',
      { query: { notes: { $: { limit: 6 } } } },
      { 'as-guest': 'true' },
    );
    const notes = (await api.query({ notes: {} })).body.notes as { n: number; kind: string; $tag: number }[];
    const expected = notes.filter((note) => note.kind === 'public' && note.$tag === 7).slice(0, 6);
    expect(answer.body.result.notes.map((note: { n: number }) => note.n)).toEqual(expected.map((note) => note.n));
    expect(checkedRows(answer.body, 'notes')).toHaveLength(6);
  });
});
