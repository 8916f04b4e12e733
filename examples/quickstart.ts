// npm start: builds a realistic transaction with the typed DSL and prints the steps Instant receives.
import { compile, i, id, InstantValidationError, lookup, txFor } from '../src/index.ts';

const schema = i.schema({
  entities: {
    goals: i.entity({ title: i.string(), status: i.string<'active' | 'done'>(), due: i.date().optional(), metrics: i.json<{ progress: number; streak: number }>().optional() }),
    todos: i.entity({ text: i.string(), done: i.boolean() }),
    $users: i.entity({ email: i.string().unique().indexed(), handle: i.string().unique().indexed() }),
  },
  links: {
    goalTodos: { forward: { on: 'goals', has: 'many', label: 'todos' }, reverse: { on: 'todos', has: 'one', label: 'goal' } },
    goalOwner: { forward: { on: 'goals', has: 'one', label: 'owner' }, reverse: { on: '$users', has: 'many', label: 'goals' } },
  },
});

const tx = txFor(schema);
const goalId = id();
const [run, stretch] = [id(), id()];

const chunks = [
  tx.todos(run).create({ text: 'Run 5k', done: false }),
  tx.todos(stretch).create({ text: 'Stretch', done: true }),
  tx.goals(goalId)
    .update({ title: 'Get fit', status: 'active', due: new Date('2027-01-01T00:00:00Z'), metrics: { progress: 0, streak: 0 } })
    .link({ todos: [run, stretch], owner: lookup('email', 'alyssa@example.com') }),
  tx.goals(goalId).change({ metrics: { progress: 0, streak: 0 } }, (draft) => {
    draft.metrics.progress = 0.5;
  }),
  tx.$users(lookup('handle', 'alyssa')).update({ email: 'alyssa@example.com' }),
];

console.log('POST /admin/transact body:');
console.log(JSON.stringify({ steps: compile(chunks) }, null, 2));

try {
  compile(tx.goals(goalId).update({ title: 42, colour: 'red' } as never));
} catch (error) {
  if (!(error instanceof InstantValidationError)) throw error;
  console.log('\nA bad chunk is caught before anything is sent:');
  console.log(error.message);
}
