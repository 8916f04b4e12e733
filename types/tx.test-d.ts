import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import { compile, id, lookup, tx, txFor, type Chunk, type EntityStep, type LookupKey, type Step } from 'instant-tx';
import { schema } from './fixtures.ts';

type S = typeof schema;
const db = txFor(schema);
const gid = id();

// Namespaces: known ones type-check, unknown ones do not.
expectType<Chunk<S, 'goals'>>(db.goals(gid));
expectType<Chunk<S, 'users'>>(db.users(gid));
expectError(db.goalz(gid));
expectType<Chunk<S, 'todos'>>(db('todos')(gid));
expectError(db('nope'));

// Under noUncheckedIndexedAccess the index form may be undefined; the call form is not.
expectType<Chunk<S, 'goals'> | undefined>(db.goals[gid]);

// update: known attributes with their types; null only for optional ones.
expectType<Chunk<S, 'goals'>>(db.goals(gid).update({ title: 'Get fit' }));
expectType<Chunk<S, 'goals'>>(db.goals(gid).update({ priority: null }));
expectType<Chunk<S, 'goals'>>(db.goals(gid).update({ status: 'done' }, { upsert: false }));
expectError(db.goals(gid).update({ title: null }));
expectError(db.goals(gid).update({ title: 1 }));
expectError(db.goals(gid).update({ titel: 'typo' }));
expectError(db.goals(gid).update({ status: 'doing' }));
expectError(db.goals(gid).update({ title: 'x' }, { upsert: 'no' }));

// dates accept Date, ISO string or epoch ms; json attributes take their declared type.
expectType<Chunk<S, 'goals'>>(db.goals(gid).update({ due: new Date() }));
expectType<Chunk<S, 'goals'>>(db.goals(gid).update({ due: '2025-01-01' }));
expectType<Chunk<S, 'goals'>>(db.goals(gid).update({ due: 0 }));
expectError(db.goals(gid).update({ due: true }));
expectType<Chunk<S, 'goals'>>(db.goals(gid).update({ meta: { tags: ['a'], progress: { value: 1 } } }));
expectError(db.goals(gid).update({ meta: { tags: 'a' } }));

// create requires the required attributes.
expectType<Chunk<S, 'goals'>>(db.goals(gid).create({ title: 'Get fit' }));
expectError(db.goals(gid).create({ priority: 1 }));
expectError(db.todos(gid).create({}));

// merge takes deep partial patches with null to delete.
expectType<Chunk<S, 'goals'>>(db.goals(gid).merge({ meta: { progress: { value: 2 } } }));
expectType<Chunk<S, 'goals'>>(db.goals(gid).merge({ meta: { tags: null } }));
expectError(db.goals(gid).merge({ meta: { progress: { value: 'x' } } }));

// links: known labels; to-one takes one target, to-many one or many.
expectType<Chunk<S, 'goals'>>(db.goals(gid).link({ todos: [id(), id()] }));
expectType<Chunk<S, 'goals'>>(db.goals(gid).link({ owner: id() }));
expectType<Chunk<S, 'todos'>>(db.todos(gid).unlink({ goal: gid }));
expectType<Chunk<S, 'users'>>(db.users(gid).link({ goals: gid }));
expectError(db.goals(gid).link({ owner: [id()] }));
expectError(db.goals(gid).link({ owners: id() }));

// lookups only on unique attributes, and only of the target namespace.
expectType<Chunk<S, 'users'>>(db.users.lookup('email', 'a@b.co'));
expectError(db.users.lookup('name', 'Ann'));
expectError(db.users.lookup('email', 5));
expectType<Chunk<S, 'users'>>(db.users(lookup('email', 'a@b.co')));
expectError(db.users(lookup('name', 'Ann')));
expectType<Chunk<S, 'goals'>>(db.goals(gid).link({ owner: lookup('email', 'a@b.co') }));
expectError(db.goals(gid).link({ owner: lookup('name', 'Ann') }));
expectType<LookupKey<'email'>>(lookup('email', 'x'));
expectAssignable<string>(lookup('email', 'x'));

// chunks: every method returns the same chunk type; misspelled methods and delete args are errors.
expectType<Chunk<S, 'goals'>>(
  db.goals(gid).update({ title: 'a' }).link({ todos: gid }).unlink({ todos: gid }).delete(),
);
expectType<Chunk<S, 'goals'>>(db.goals(gid).ruleParams({ code: 'x' }));
expectError(db.goals(gid).updaet({ title: 'x' }));
expectType<Chunk<S, 'goals'>>(
  db.goals(gid).change({ title: 'a', n: 1 }, (draft) => {
    draft.n = 2;
  }),
);
const frozenGoal: { readonly meta: { readonly progress: number } } = { meta: { progress: 0 } };
expectType<Chunk<S, 'goals'>>(
  db.goals(gid).change(frozenGoal, (draft) => {
    draft.meta.progress = 1;
  }),
);
expectError(
  db.goals(gid).change({ n: 1 }, (draft) => {
    draft.n = 'x';
  }),
);

// untyped tx: anything goes by name, values are still JSON-shaped.
expectAssignable<object>(tx('anything')(gid).update({ any: { nested: [1, 'x', null, new Date()] } }));
expectError(tx('anything')(gid).update({ fn: () => 1 }));
expectError(tx('anything')(gid).update({ big: 1n }));

// compile returns wire steps.
expectType<EntityStep[]>(compile([db.goals(gid).delete(), tx('x')(gid).delete()]));
expectAssignable<Step[]>(compile(db.goals(gid).delete()));
expectNotAssignable<Step>(['delete-entity', 'goals', gid]);
expectAssignable<Step>(['delete', 'goals', gid, null]);
expectAssignable<Step>(['update', 'users', ['email', 'a@b.co'], { name: 'x' }, { upsert: false }]);
