import util from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  i,
  id,
  init,
  InstantAbortError,
  InstantAPIError,
  InstantTimeoutError,
  InstantValidationError,
  lookup,
} from '../../src/index.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';
import { expectNoSecretsInErrors, rejection, remember } from './secret-watch.ts';

const schema = i.schema({
  entities: {
    $users: i.entity({ email: i.string().unique().indexed() }),
    goals: i.entity({ title: i.string(), priority: i.number().indexed().optional(), ownerId: i.string().optional() }),
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
    allow: {
      view: 'auth.id != null && auth.id == data.ownerId',
      update: 'auth.id != null && auth.id == data.ownerId',
      create: 'auth.id != null',
    },
  },
};

describe('the client against the local server', () => {
  let server: LocalServer;
  let db: ReturnType<typeof init<typeof schema>>;
  const tokens: string[] = [];
  beforeAll(async () => {
    server = await startLocalServer({ schema, rules });
    db = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url, schema });
  });
  afterAll(async () => {
    await server.close();
  });

  it('transacts chunks and ready-made steps, and queries typed nested results', async () => {
    const [g, t] = [id(), id()];
    const { txId } = await db.transact([
      db.tx.todos(t).create({ text: 'Run', slug: 'run' }),
      db.tx.goals(g).update({ title: 'Get fit', priority: 1 }).link({ todos: t }),
    ]);
    expect(txId).toBeGreaterThan(0);
    await db.transact([['merge', 'goals', g, { title: 'Get fitter' }]]);
    const { goals } = await db.query({ goals: { $: { where: { id: g } }, todos: {} } });
    expect(goals[0]!.title).toBe('Get fitter');
    expect(goals[0]!.todos.map((todo) => todo.slug)).toEqual(['run']);
    const { todos } = await db.query({ todos: { $: { where: { slug: 'run' } }, goal: {} } });
    expect(todos[0]!.goal?.id).toBe(g);
    await db.transact(db.tx.todos(lookup('slug', 'run')).update({ text: 'Run fast' }));
    expect((await db.query({ todos: { $: { where: { id: t } } } })).todos[0]!.text).toBe('Run fast');
  });

  it('raises validation errors before any request', async () => {
    const offline = init({ appId: server.appId, adminToken: server.adminToken, apiURI: 'http://127.0.0.1:9', schema });
    const error = await rejection(offline.transact(offline.tx.goals(id()).update({ title: 5 } as never)));
    expect(error).toBeInstanceOf(InstantValidationError);
    expect(() => init({ appId: 'nope' })).toThrow(/init\.appId: expected a UUID/);
    expect(() => init({ appId: server.appId, headers: { 'x-bad': 'a\r\nb' } })).toThrow(/line break/);
    expect(() => db.asUser({ email: 'é@x' })).toThrow(/non-ASCII/);
    const noAdmin = init({ appId: server.appId, apiURI: server.url });
    expect(() => noAdmin.asUser({ email: 'a@b.co' })).toThrow(/needs the admin token/);
    await expect(noAdmin.query({})).rejects.toThrow(/needs the admin token/);
  });

  it('covers db.auth: createToken, verifyToken, getUser, deleteUser, signOut', async () => {
    const token = await db.auth.createToken('alyssa@example.com');
    tokens.push(token);
    const user = await db.auth.verifyToken(token);
    expect(user.email).toBe('alyssa@example.com');
    expect((await db.auth.getUser({ email: 'alyssa@example.com' }))?.id).toBe(user.id);
    expect((await db.auth.getUser({ refresh_token: token }))?.id).toBe(user.id);
    const byId = await db.auth.createToken({ id: id() });
    tokens.push(byId);
    await db.auth.signOut({ refresh_token: byId });
    const gone = await rejection(db.auth.verifyToken(byId));
    expect(gone).toBeInstanceOf(InstantAPIError);
    expect(gone.type).toBe('record-not-found');
    const other = await db.auth.createToken('ben@example.com');
    tokens.push(other);
    expect((await db.auth.deleteUser({ email: 'ben@example.com' }))?.email).toBe('ben@example.com');
    expect(await db.auth.getUser({ email: 'ben@example.com' })).toBeNull();
  });

  it('acts as a user by token, email and guest under the rules', async () => {
    const token = await db.auth.createToken('owner@example.com');
    tokens.push(token);
    const owner = await db.auth.verifyToken(token);
    const [mine, theirs] = [id(), id()];
    await db.transact([
      db.tx.goals(mine).update({ title: 'mine', ownerId: owner.id }),
      db.tx.goals(theirs).update({ title: 'theirs', ownerId: id() }),
    ]);
    const noAdmin = init({ appId: server.appId, apiURI: server.url, schema });
    expect((await noAdmin.asUser({ token }).query({ goals: {} })).goals.map((goal) => goal.id)).toEqual([mine]);
    expect((await db.asUser({ email: 'owner@example.com' }).query({ goals: {} })).goals.map((goal) => goal.id)).toEqual(
      [mine],
    );
    expect((await noAdmin.asUser({ guest: true }).query({ goals: {} })).goals).toEqual([]);
    const denied = await rejection(db.asUser({ token }).transact(db.tx.goals(theirs).update({ title: 'x' })));
    expect(denied.type).toBe('permission-denied');
    const dry = await db.asUser({ token }).debugTransact(db.tx.goals(theirs).update({ title: 'x' }));
    expect(dry['all-checks-ok?']).toBe(false);
    const checked = await db
      .asUser({ token })
      .debugQuery({ goals: {} }, { rules: { goals: { allow: { view: 'true' } } } });
    expect((checked.result as { goals: unknown[] }).goals.length).toBeGreaterThanOrEqual(2);
  });

  it('passes ruleParams inside the query', async () => {
    const viaParams = await startLocalServer({ rules: { docs: { allow: { view: 'ruleParams.key == "k"' } } } });
    try {
      const client = init({ appId: viaParams.appId, adminToken: viaParams.adminToken, apiURI: viaParams.url });
      await client.transact(client.tx('docs')(id()).update({ a: 1 }));
      expect((await client.asUser({ guest: true }).query({ docs: {} })).docs).toEqual([]);
      expect(
        (await client.asUser({ guest: true }).query({ docs: {} }, { ruleParams: { key: 'k' } })).docs,
      ).toHaveLength(1);
    } finally {
      await viaParams.close();
    }
  });

  it('honours an AbortSignal and a per-call timeout', async () => {
    const aborted = await rejection(db.query({ goals: {} }, { signal: AbortSignal.abort() }));
    expect(aborted).toBeInstanceOf(InstantAbortError);
    const slow = await rejection(db.query({ goals: {} }, { timeout: 1 }));
    expect(
      [InstantTimeoutError, InstantAbortError].some((type) => slow instanceof type) || slow instanceof InstantAPIError,
    ).toBe(true);
  });

  it('keeps the admin token out of inspect, JSON and String', () => {
    for (const view of [util.inspect(db), JSON.stringify(db), String(db), util.inspect(db.asUser({ guest: true }))]) {
      expect(view).not.toContain(server.adminToken);
    }
    expect(JSON.stringify(db)).toContain(`${server.adminToken.slice(0, 4)}…`);
  });

  it('shows no admin or refresh token in any error above', async () => {
    const wrong = init({ appId: server.appId, adminToken: id(), apiURI: server.url });
    remember(await rejection(wrong.query({ goals: {} })));
    remember(await rejection(db.asUser({ token: id() }).query({ goals: {} })));
    expectNoSecretsInErrors([server.adminToken, ...tokens]);
  });
});
