// Link and per-namespace types over a schema with the cases the grouped link map must get right: a
// self-link (both ends on one namespace), one label on two namespaces leading to different targets, a
// namespace on several links, and a namespace with no links at all.
import { expectAssignable, expectError, expectType } from 'tsd';
import {
  i,
  id,
  init,
  lookup,
  txFor,
  type Chunk,
  type CreateAttrs,
  type EntityRefInput,
  type LinkArgs,
  type LookupKey,
  type MergeAttrs,
  type UniqueAttrName,
  type UpdateAttrs,
} from 'instant-tx';

const schema = i.schema({
  entities: {
    people: i.entity({ handle: i.string().unique().indexed(), name: i.string(), age: i.number().optional() }),
    teams: i.entity({ code: i.string().unique(), title: i.string() }),
    projects: i.entity({ key: i.number().unique(), notes: i.any().optional() }),
    logs: i.entity({ line: i.string() }),
  },
  links: {
    friends: {
      forward: { on: 'people', has: 'many', label: 'friends' },
      reverse: { on: 'people', has: 'one', label: 'bestie' },
    },
    teamLead: {
      forward: { on: 'teams', has: 'one', label: 'owner' },
      reverse: { on: 'people', has: 'many', label: 'leads' },
    },
    projectOwner: {
      forward: { on: 'projects', has: 'one', label: 'owner' },
      reverse: { on: 'teams', has: 'many', label: 'projects' },
    },
  },
});
type S = typeof schema;
const tx = txFor(schema);
const pid = id();

// A self-link gives its namespace both labels, each with its own cardinality.
expectType<Chunk<S, 'people'>>(tx.people(pid).link({ friends: [id(), id()], bestie: id() }));
expectError(tx.people(pid).link({ bestie: [id()] }));
expectType<Chunk<S, 'people'>>(tx.people(pid).link({ friends: lookup('handle', 'ann') }));
expectError(tx.people(pid).link({ friends: lookup('name', 'Ann') }));

// `owner` on teams leads to people, `owner` on projects to teams: lookups follow the right target.
expectType<Chunk<S, 'teams'>>(tx.teams(pid).link({ owner: lookup('handle', 'ann') }));
expectError(tx.teams(pid).link({ owner: lookup('code', 'core') }));
expectType<Chunk<S, 'projects'>>(tx.projects(pid).link({ owner: lookup('code', 'core') }));
expectError(tx.projects(pid).link({ owner: lookup('handle', 'ann') }));
expectError(tx.projects(pid).link({ owner: [id()] }));

// A namespace on several links has every label; a namespace on none has no label at all.
expectType<Chunk<S, 'people'>>(tx.people(pid).unlink({ friends: id(), bestie: id(), leads: [id()] }));
expectType<Chunk<S, 'teams'>>(tx.teams(pid).link({ owner: id(), projects: [id()] }));
expectError(tx.teams(pid).link({ friends: id() }));
expectError(tx.logs(pid).link({ owner: id() }));
expectError(tx.logs(pid).unlink({ anything: id() }));

// The exported per-namespace types say the same as the chunk methods.
expectType<'handle'>(null as unknown as UniqueAttrName<S, 'people'>);
expectType<'key'>(null as unknown as UniqueAttrName<S, 'projects'>);
expectType<never>(null as unknown as UniqueAttrName<S, 'logs'>);
expectAssignable<EntityRefInput<S, 'people'>>(lookup('handle', 'ann'));
expectError<EntityRefInput<S, 'people'>>(lookup('name', 'Ann'));
expectAssignable<UpdateAttrs<S, 'people'>>({ name: 'Ann', age: null });
expectError<UpdateAttrs<S, 'people'>>({ name: null });
expectError<UpdateAttrs<S, 'people'>>({ nmae: 'typo' });
expectAssignable<CreateAttrs<S, 'people'>>({ handle: 'ann', name: 'Ann' });
expectError<CreateAttrs<S, 'people'>>({ handle: 'ann' });
expectError<CreateAttrs<S, 'people'>>({ handle: 'ann', name: 'Ann', age: 'old' });
expectAssignable<MergeAttrs<S, 'projects'>>({ notes: { any: ['json', 1, null] } });
expectError<MergeAttrs<S, 'projects'>>({ key: 'one' });
expectAssignable<LinkArgs<S, 'teams'>>({ owner: id(), projects: [id(), id()] });
expectError<LinkArgs<S, 'teams'>>({ owner: [id()] });
expectType<LookupKey<'key'>>(lookup('key', 1));

// Lookups by value type, per namespace.
expectType<Chunk<S, 'projects'>>(tx.projects.lookup('key', 7));
expectError(tx.projects.lookup('key', '7'));
expectError(tx.logs.lookup('line', 'x'));

// Queries follow the same link map, including through a self-link and a repeated label.
const db = init({ appId: id(), adminToken: id(), schema });
const result = await db.query({
  people: { friends: { bestie: {} }, leads: { projects: {} } },
  projects: { owner: { owner: {} } },
  logs: {},
});
expectType<string>(result.people[0]!.friends[0]!.handle);
expectAssignable<{ handle: string } | null | undefined>(result.people[0]!.friends[0]!.bestie);
expectType<number>(result.people[0]!.leads[0]!.projects[0]!.key);
expectAssignable<{ code: string } | null | undefined>(result.projects[0]!.owner);
expectAssignable<string | undefined>(result.projects[0]!.owner?.owner?.handle);
expectType<string>(result.logs[0]!.line);
expectError(result.logs[0]!.owner);
expectError(db.query({ logs: { owner: {} } }));
expectError(db.query({ projects: { owner: { leads: {} } } }));

// The untyped tx and client still take any label.
const loose = init({ appId: id() });
expectAssignable<object>(
  loose
    .tx('anything')(pid)
    .link({ whatever: id(), more: [id(), id()] }),
);
expectAssignable<Promise<unknown>>(loose.query({ anything: { whatever: { more: {} } } }));
