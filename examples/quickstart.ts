// npm start: starts an in-process local Instant server, writes with the typed DSL, queries back,
// and reads as a guest under a permission rule. Prints what happened and exits 0.
import { compile, i, id, InstantValidationError, lookup, txFor } from '../src/index.ts';
import { startLocalServer } from '../src/server/index.ts';

const schema = i.schema({
  entities: {
    goals: i.entity({ title: i.string(), status: i.string<'active' | 'done'>(), public: i.boolean(), metrics: i.json<{ progress: number }>().optional() }),
    todos: i.entity({ text: i.string(), done: i.boolean() }),
    $users: i.entity({ email: i.string().unique().indexed() }),
  },
  links: {
    goalTodos: { forward: { on: 'goals', has: 'many', label: 'todos' }, reverse: { on: 'todos', has: 'one', label: 'goal' } },
    goalOwner: { forward: { on: 'goals', has: 'one', label: 'owner' }, reverse: { on: '$users', has: 'many', label: 'goals' } },
  },
});
const rules = { goals: { allow: { view: 'data.public == true' } } };

const server = await startLocalServer({ schema, rules });
const headers = { 'content-type': 'application/json', 'app-id': server.appId, authorization: `Bearer ${server.adminToken}` };
const post = async (path: string, body: unknown, extra: Record<string, string> = {}) => {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
  return res.json() as Promise<any>;
};

try {
  console.log(`Local Instant admin API on ${server.url} (app ${server.appId})\n`);
  await post('/admin/refresh_tokens', { email: 'alyssa@example.com' });
  const tx = txFor(schema);
  const [goal, secret, run, stretch] = [id(), id(), id(), id()];
  const steps = compile([
    tx.todos(run).create({ text: 'Run 5k', done: false }),
    tx.todos(stretch).create({ text: 'Stretch', done: true }),
    tx.goals(goal).update({ title: 'Get fit', status: 'active', public: true, metrics: { progress: 0 } })
      .link({ todos: [run, stretch], owner: lookup('email', 'alyssa@example.com') }),
    tx.goals(goal).change({ metrics: { progress: 0 } }, (draft) => { draft.metrics.progress = 0.5; }),
    tx.goals(secret).update({ title: 'Surprise party', status: 'active', public: false }),
  ]);
  console.log('1. POST /admin/transact with the compiled steps:');
  console.log(JSON.stringify(steps).slice(0, 400) + '…');
  console.log('  →', JSON.stringify(await post('/admin/transact', { steps })));

  console.log('\n2. POST /admin/query { goals: { todos: {}, owner: {} } } as the admin:');
  console.log(JSON.stringify(await post('/admin/query', { query: { goals: { todos: {}, owner: {} } }, 'inference?': true }), null, 2));

  console.log('\n3. The same query as a guest, under the rule goals.view = "data.public == true":');
  const guest = await post('/admin/query', { query: { goals: {} } }, { 'as-guest': 'true', authorization: '' });
  console.log('  → goals seen:', guest.goals.map((g: { title: string }) => g.title));

  console.log('\n4. A bad chunk is caught before anything is sent:');
  try {
    compile(tx.goals(goal).update({ title: 42, colour: 'red' } as never));
  } catch (error) {
    if (!(error instanceof InstantValidationError)) throw error;
    console.log(error.message);
  }
} finally {
  await server.close();
}
