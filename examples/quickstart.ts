// npm start: starts an in-process local Instant server, writes with the typed DSL, queries back,
// and reads as a guest under a permission rule. Prints what happened and exits 0.
import { i, id, init, InstantValidationError, lookup } from '../src/index.ts';
import { startLocalServer } from '../src/server/index.ts';

const schema = i.schema({
  entities: {
    goals: i.entity({
      title: i.string(),
      status: i.string<'active' | 'done'>(),
      public: i.boolean(),
      metrics: i.json<{ progress: number }>().optional(),
    }),
    todos: i.entity({ text: i.string(), done: i.boolean() }),
    $users: i.entity({ email: i.string().unique().indexed() }),
  },
  links: {
    goalTodos: {
      forward: { on: 'goals', has: 'many', label: 'todos' },
      reverse: { on: 'todos', has: 'one', label: 'goal' },
    },
    goalOwner: {
      forward: { on: 'goals', has: 'one', label: 'owner' },
      reverse: { on: '$users', has: 'many', label: 'goals' },
    },
  },
});
const rules = { goals: { allow: { view: 'data.public == true' } } };

const server = await startLocalServer({ schema, rules });
const db = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url, schema });

try {
  console.log(`Local Instant admin API on ${server.url} (app ${server.appId})\n`);
  await db.auth.createToken('alyssa@example.com');
  const [goal, secret, run, stretch] = [id(), id(), id(), id()];
  console.log('1. db.transact(...) with the typed DSL:');
  const { txId } = await db.transact([
    db.tx.todos(run).create({ text: 'Run 5k', done: false }),
    db.tx.todos(stretch).create({ text: 'Stretch', done: true }),
    db.tx
      .goals(goal)
      .update({ title: 'Get fit', status: 'active', public: true, metrics: { progress: 0 } })
      .link({ todos: [run, stretch], owner: lookup('email', 'alyssa@example.com') }),
    db.tx.goals(goal).change({ metrics: { progress: 0 } }, (draft) => {
      draft.metrics.progress = 0.5;
    }),
    db.tx.goals(secret).update({ title: 'Surprise party', status: 'active', public: false }),
  ]);
  console.log(`  → committed as tx ${txId}`);

  console.log('\n2. db.query({ goals: { todos: {}, owner: {} } }) as the admin:');
  const { goals } = await db.query({ goals: { todos: {}, owner: {} } });
  for (const g of goals)
    console.log(
      `  - ${g.title} (${g.status}), owner ${g.owner?.email ?? '—'}, todos: ${g.todos.map((t) => t.text).join(', ') || '—'}`,
    );

  console.log('\n3. The same query as a guest, under the rule goals.view = "data.public == true":');
  const guest = await db.asUser({ guest: true }).query({ goals: {} });
  console.log(
    '  → goals seen:',
    guest.goals.map((g) => g.title),
  );

  console.log('\n4. A bad chunk is caught before anything is sent:');
  try {
    await db.transact(db.tx.goals(goal).update({ title: 42, colour: 'red' } as never));
  } catch (error) {
    if (!(error instanceof InstantValidationError)) throw error;
    console.log(error.message);
  }
} finally {
  await server.close();
}
