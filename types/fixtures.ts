import { i } from 'instant-tx';

export const schema = i.schema({
  entities: {
    goals: i.entity({
      title: i.string(),
      priority: i.number().optional(),
      status: i.string<'todo' | 'done'>().optional(),
      due: i.date().optional(),
      meta: i.json<{ tags: string[]; progress: { value: number } }>().optional(),
    }),
    users: i.entity({ email: i.string().unique().indexed(), name: i.string().optional() }),
    todos: i.entity({ text: i.string(), done: i.boolean().optional() }),
  },
  links: {
    goalOwner: {
      forward: { on: 'goals', has: 'one', label: 'owner' },
      reverse: { on: 'users', has: 'many', label: 'goals' },
    },
    goalTodos: {
      forward: { on: 'goals', has: 'many', label: 'todos' },
      reverse: { on: 'todos', has: 'one', label: 'goal' },
    },
  },
});
