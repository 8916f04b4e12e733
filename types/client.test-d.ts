import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import { id, init, type InstantAdminDatabase } from 'instant-tx';
import { schema } from './fixtures.ts';

const db = init({ appId: id(), adminToken: id(), schema });
type S = typeof schema;
expectType<InstantAdminDatabase<S>>(db);

const result = await db.query({ goals: { todos: {}, owner: {} }, users: {} });
type Goal = (typeof result)['goals'][number];

// attributes: required present, optional possibly missing or null, typed values
expectType<string>(result.goals[0]!.id);
expectType<string>(result.goals[0]!.title);
expectType<number | null | undefined>(result.goals[0]!.priority);
expectType<'todo' | 'done' | null | undefined>(result.goals[0]!.status);
expectType<string | number | null | undefined>(result.goals[0]!.due);
expectType<{ tags: string[]; progress: { value: number } } | null | undefined>(result.goals[0]!.meta);
expectType<string>(result.users[0]!.email);
expectType<string | null | undefined>(result.users[0]!.name);

// links: many → array, one → object or null/undefined; nested rows are typed too
expectType<string>(result.goals[0]!.todos[0]!.text);
expectType<boolean | null | undefined>(result.goals[0]!.todos[0]!.done);
expectAssignable<{ id: string; email: string } | null | undefined>(result.goals[0]!.owner);
expectError(result.goals[0]!.nope);
expectError(result.todos);

// only the namespaces asked for; links only when asked for
const flat = await db.query({ goals: {} });
expectError(flat.users);
expectError(flat.goals[0]!.todos);

// fields narrows the row type
const narrow = await db.query({ goals: { $: { fields: ['title'] } } });
expectType<string>(narrow.goals[0]!.title);
expectType<string>(narrow.goals[0]!.id);
expectError(narrow.goals[0]!.priority);

// nested one-link back to a namespace
const todos = await db.query({ todos: { goal: { owner: {} } } });
expectAssignable<string | undefined>(todos.todos[0]!.goal?.title);
expectAssignable<string | undefined>(todos.todos[0]!.goal?.owner?.email);

// query input: unknown namespaces and link labels are errors
expectError(db.query({ goalz: {} }));
expectError(db.query({ goals: { todoz: {} } }));
expectAssignable<Promise<unknown>>(
  db.query({ goals: { $: { where: { title: 'x' }, order: { priority: 'desc' }, limit: 5 } } }),
);
expectError(db.query({ goals: { $: { order: { priority: 'up' } } } }));

// transact returns the tx id
expectType<Promise<{ txId: number }>>(db.transact(db.tx.goals(id()).update({ title: 'x' })));

// asUser option shapes
expectType<InstantAdminDatabase<S>>(db.asUser({ email: 'a@b.co' }));
expectType<InstantAdminDatabase<S>>(db.asUser({ token: 'x' }));
expectType<InstantAdminDatabase<S>>(db.asUser({ guest: true }));
expectError(db.asUser({ guest: false }));
expectError(db.asUser({}));
expectError(db.asUser({ email: 1 }));

// auth
expectType<Promise<string>>(db.auth.createToken('a@b.co'));
expectType<Promise<string>>(db.auth.createToken({ id: id() }));
expectError(db.auth.getUser({ name: 'x' }));

// $users is queryable even when the schema does not declare it
const users = await db.query({ $users: { $: { where: { email: 'a@b.co' } } } });
expectType<string>(users.$users[0]!.id);
expectType<string | null | undefined>(users.$users[0]!.email);

// untyped client: rows are open records
const loose = init({ appId: id() });
const anyRows = await loose.query({ whatever: {} });
expectType<string>(anyRows.whatever[0]!.id);
expectType<unknown>(anyRows.whatever[0]!.title);
expectNotAssignable<string>(anyRows.whatever[0]!.title);
void (null as unknown as Goal);
