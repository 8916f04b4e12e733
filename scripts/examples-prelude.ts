// What the JSDoc `@example` blocks under src/ may use without defining it, besides the exports of
// their own module and of the package entry points (see scripts/extract-examples.ts). Keep it small:
// an example that needs anything else defines it.
import { i, type InstantAdminDatabase } from '../src/index.ts';

/** A small app: goals with todos, and users with a unique email. */
export const schema = i.schema({
  entities: {
    goals: i.entity({
      title: i.string(),
      note: i.string().optional(),
      metrics: i.json<{ progress: number }>().optional(),
    }),
    todos: i.entity({ title: i.string(), done: i.boolean() }),
    $users: i.entity({ email: i.string().unique().indexed() }),
  },
  links: {
    goalTodos: {
      forward: { on: 'goals', has: 'many', label: 'todos' },
      reverse: { on: 'todos', has: 'one', label: 'goal' },
    },
  },
});

/** A client for that app, as `init({ schema })` returns it. */
export declare const db: InstantAdminDatabase<typeof schema>;

/** The id of an existing goal. */
export declare const goalId: string;

/** The id of an existing todo. */
export declare const todoId: string;
