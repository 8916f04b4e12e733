import { i, id, init, lookup } from '@instantdb/admin';
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from './helpers.ts';

const schema = i.schema({
  entities: {
    $users: i.entity({ email: i.string().unique().indexed() }),
    goals: i.entity({
      title: i.string(),
      priority: i.number().indexed().optional(),
      ownerId: i.string().optional(),
      meta: i.json().optional(),
    }),
    todos: i.entity({ text: i.string(), slug: i.string().unique().indexed().optional() }),
  },
  links: {
    goalTodos: {
      forward: { on: 'goals', has: 'many', label: 'todos' },
      reverse: { on: 'todos', has: 'one', label: 'goal' },
    },
  },
});

const rules = {
  goals: {
    allow: { view: 'isOwner', create: 'isOwner', update: 'isOwner', delete: 'isOwner' },
    bind: ['isOwner', 'auth.id != null && auth.id == data.ownerId'],
  },
  todos: { allow: { view: 'true', create: 'auth.id != null', update: 'false', delete: 'false' } },
};

describe('@instantdb/admin 1.0.67 against the local server (apiURI)', () => {
  const api = useServer({ schema, rules });
  let db: ReturnType<typeof init<typeof schema>>;
  beforeAll(() => {
    db = init({ appId: api.server.appId, adminToken: api.server.adminToken, apiURI: api.server.url, schema });
  });

  it('transacts update/link/merge/unlink/delete/create with lookups and queries nested results back', async () => {
    const [g, t1, t2] = [id(), id(), id()];
    const first = await db.transact([
      db.tx.todos[t1].create({ text: 'Run', slug: 'run' }),
      db.tx.todos[t2].update({ text: 'Swim' }),
      db.tx.goals[g].update({ title: 'Get fit', priority: 2, meta: { a: 1, b: { c: 2 } } }).link({ todos: [t1, t2] }),
    ]);
    expect(typeof first['tx-id']).toBe('number');
    await db.transact([
      db.tx.goals[g].merge({ meta: { b: { c: null, d: 3 } } }),
      db.tx.goals[g].unlink({ todos: lookup('slug', 'run') }),
    ]);
    const q = await db.query({ goals: { $: { where: { id: g } }, todos: {} } });
    expect(q.goals[0]).toMatchObject({ id: g, title: 'Get fit', priority: 2, meta: { a: 1, b: { d: 3 } } });
    expect(q.goals[0]!.todos.map((t) => t.id)).toEqual([t2]);
    await db.transact(db.tx.todos[lookup('slug', 'run')].update({ text: 'Run fast' }));
    expect((await db.query({ todos: { $: { where: { slug: 'run' } } } })).todos[0]!.text).toBe('Run fast');
    await db.transact(db.tx.goals[g].delete());
    expect((await db.query({ goals: { $: { where: { id: g } } } })).goals).toEqual([]);
    const todo = await db.query({ todos: { $: { where: { id: t2 } }, goal: {} } });
    expect(todo.todos[0]!.goal).toBeNull();
  });

  it('queries with where, order and limit, and returns has-one links as objects with a schema', async () => {
    const goals = [3, 1, 2].map((priority) => ({ id: id(), priority }));
    await db.transact(
      goals.map((goal) => db.tx.goals[goal.id].update({ title: `p${goal.priority}`, priority: goal.priority })),
    );
    const t = id();
    await db.transact([db.tx.todos[t].update({ text: 'x' }), db.tx.goals[goals[0]!.id].link({ todos: t })]);
    const ordered = await db.query({
      goals: { $: { where: { title: { $in: ['p1', 'p2', 'p3'] } }, order: { priority: 'desc' }, limit: 2 } },
    });
    expect(ordered.goals.map((goal) => goal.priority)).toEqual([3, 2]);
    const withGoal = await db.query({ todos: { $: { where: { id: t } }, goal: {} } });
    expect(withGoal.todos[0]!.goal).toMatchObject({ id: goals[0]!.id, priority: 3 });
  });

  it('creates and verifies refresh tokens, gets and deletes users', async () => {
    const token = await db.auth.createToken('alyssa@example.com');
    const user = await db.auth.verifyToken(token);
    expect(user).toMatchObject({ email: 'alyssa@example.com', refresh_token: token, isGuest: false });
    expect(await db.auth.getUser({ email: 'alyssa@example.com' })).toMatchObject({ id: user.id });
    expect((await db.query({ $users: { $: { where: { email: 'alyssa@example.com' } } } })).$users).toHaveLength(1);
    const other = await db.auth.createToken('ben@example.com');
    const ben = await db.auth.verifyToken(other);
    await db.auth.deleteUser({ id: ben.id });
    await expect(db.auth.verifyToken(other)).rejects.toMatchObject({ status: 400 });
  });

  it('impersonates by token, email and guest under the rules', async () => {
    const token = await db.auth.createToken('owner@example.com');
    const owner = await db.auth.verifyToken(token);
    const [mine, theirs] = [id(), id()];
    await db.transact([
      db.tx.goals[mine].update({ title: 'mine', ownerId: owner.id }),
      db.tx.goals[theirs].update({ title: 'theirs', ownerId: id() }),
    ]);
    const asToken = await db.asUser({ token }).query({ goals: {} });
    expect(asToken.goals.map((goal) => goal.id)).toEqual([mine]);
    const asEmail = await db.asUser({ email: 'owner@example.com' }).query({ goals: {} });
    expect(asEmail.goals.map((goal) => goal.id)).toEqual([mine]);
    expect((await db.asUser({ guest: true }).query({ goals: {} })).goals).toEqual([]);
    await db.asUser({ token }).transact(db.tx.goals[mine].update({ title: 'renamed' }));
    await expect(db.asUser({ token }).transact(db.tx.goals[theirs].update({ title: 'hijack' }))).rejects.toMatchObject({
      status: 400,
      body: { type: 'permission-denied' },
    });
    await expect(db.asUser({ guest: true }).transact(db.tx.todos[id()].update({ text: 'x' }))).rejects.toMatchObject({
      body: { type: 'permission-denied' },
    });
    expect((await db.query({ goals: { $: { where: { id: theirs } } } })).goals[0]!.title).toBe('theirs');
  });

  it('answers debugQuery and debugTransact like Instant', async () => {
    const token = await db.auth.createToken('debug@example.com');
    await expect(db.debugQuery({ goals: {} })).rejects.toMatchObject({
      body: { message: 'Validation failed for non-admin: Cannot test perms as admin' },
    });
    const g = id();
    await db.transact(db.tx.goals[g].update({ title: 'visible?', ownerId: 'x' }));
    const checked = (await db.asUser({ token }).debugQuery({ goals: { $: { where: { id: g } } } }, {
      rules: { goals: { allow: { view: 'true' } } },
    } as never)) as any;
    expect(checked.result.goals.map((goal: { id: string }) => goal.id)).toEqual([g]);
    expect(checked.checkResults[0]).toMatchObject({ entity: 'goals', id: g, check: true });
    const dry = await db.asUser({ token }).debugTransact(db.tx.goals[id()].update({ title: 'dry', ownerId: 'nobody' }));
    expect(dry).toMatchObject({ 'all-checks-ok?': false, 'committed?': false });
    expect((await db.query({ goals: { $: { where: { title: 'dry' } } } })).goals).toEqual([]);
  });
});
