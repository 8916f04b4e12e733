import { i as officialI } from '@instantdb/admin';
import { describe, expect, it } from 'vitest';
import { compile, i, indexSchema, InstantValidationError, lookup, tx, txFor } from '../src/index.ts';

const g = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
const u = '6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

const links = {
  goalOwner: {
    forward: { on: 'goals', has: 'one', label: 'owner' },
    reverse: { on: 'users', has: 'many', label: 'goals' },
  },
} as const;

const schema = i.schema({
  entities: {
    goals: i.entity({
      title: i.string(),
      priority: i.number().optional(),
      due: i.date().optional(),
      meta: i.json().optional(),
      done: i.boolean().optional(),
    }),
    users: i.entity({ email: i.string().unique().indexed(), name: i.string().optional() }),
  },
  links,
});
// The same schema written with the official SDK's builder.
const official = officialI.schema({
  entities: {
    goals: officialI.entity({
      title: officialI.string(),
      priority: officialI.number().optional(),
      due: officialI.date().optional(),
      meta: officialI.json().optional(),
      done: officialI.boolean().optional(),
    }),
    users: officialI.entity({ email: officialI.string().unique().indexed(), name: officialI.string().optional() }),
  },
  links,
});

function issuesOf(fn: () => unknown): { code: string; path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof InstantValidationError) return [...error.issues];
    throw error;
  }
  return [];
}

describe('i.* builds Instant-shaped schema objects', () => {
  it('uses the same field names as @instantdb/admin', () => {
    const ours = schema.entities.users.attrs.email;
    const theirs = (official as any).entities.users.attrs.email;
    expect({
      valueType: ours.valueType,
      required: ours.required,
      isIndexed: ours.isIndexed,
      config: ours.config,
    }).toEqual({
      valueType: theirs.valueType,
      required: theirs.required,
      isIndexed: theirs.isIndexed,
      config: theirs.config,
    });
    expect(schema.entities.goals.links).toEqual((official as any).entities.goals.links);
    expect(schema.entities.users.links).toEqual((official as any).entities.users.links);
  });

  it('is immutable: modifiers return new definitions', () => {
    const base = i.string();
    const unique = base.unique();
    expect(base.config.unique).toBe(false);
    expect(unique.config.unique).toBe(true);
    expect(base.optional().required).toBe(false);
    expect(base.required).toBe(true);
    expect(Object.isFrozen(schema.entities)).toBe(true);
  });

  it('indexes ours and official schemas the same way', () => {
    const a = indexSchema(schema);
    const b = indexSchema(official);
    expect([...a.namespaces.get('goals')!.attrs.values()]).toEqual([...b.namespaces.get('goals')!.attrs.values()]);
    expect([...a.namespaces.get('users')!.links.values()]).toEqual([{ label: 'goals', target: 'goals', has: 'many' }]);
    expect(a.namespaces.has('$users')).toBe(true);
  });

  it('rejects a malformed schema with paths', () => {
    expect(
      issuesOf(() => indexSchema({ entities: { a: { attrs: { x: 1 } } }, links: { l: { forward: {} } } })).map(
        (x) => x.path,
      ),
    ).toEqual(['schema.entities.a.attrs.x', 'schema.links.l.forward', 'schema.links.l.reverse']);
  });
});

describe('compile() with a schema', () => {
  const typed = txFor(schema);

  it('reports every problem in one error', () => {
    const issues = issuesOf(() =>
      compile([
        (typed as any).goalz[g].update({ title: 'x' }),
        (typed.goals[g] as any).update({ title: 1, Title: 'x', due: 'not a date', done: 'yes' }),
        (typed.goals[g] as any).link({ owners: u, owner: lookup('name', 'ann') }),
        (typed.goals[g] as any).create({ priority: 1 }),
        (typed.users as any)[lookup('name', 'ann')].delete(),
      ]),
    );
    expect(issues.map((x) => [x.code, x.path])).toEqual([
      ['unknown-namespace', 'goalz'],
      ['wrong-type', `goals[${g}].update.title`],
      ['unknown-attribute', `goals[${g}].update.Title`],
      ['wrong-type', `goals[${g}].update.due`],
      ['wrong-type', `goals[${g}].update.done`],
      ['unknown-link', `goals[${g}].link.owners`],
      ['not-unique', `goals[${g}].link.owner.lookup(name)`],
      ['missing-required', `goals[${g}].create.title`],
      ['not-unique', 'users[lookup(name, "ann")].lookup(name)'],
    ]);
    expect(issues.find((x) => x.path.endsWith('.Title'))!.message).toContain("did you mean 'title'?");
  });

  it('accepts valid steps, link labels in update, and a Date for a date attribute', () => {
    const steps = compile([
      typed.goals[g]!.create({ title: 'Get fit', due: new Date(0) }),
      typed.goals[g]!.update({ owner: u } as never).link({ owner: lookup('email', 'a@b.co') }),
      typed.users[lookup('email', 'a@b.co')]!.update({ name: 'Ann' }),
      (typed as any).$users[u].update({ email: 'x@y.z' }),
    ]);
    expect(steps).toHaveLength(5);
  });

  it('validates against an official schema object too', () => {
    const issues = issuesOf(() => compile(tx.goals[g].update({ title: 5 }), { schema: official }));
    expect(issues).toEqual([
      { code: 'wrong-type', path: `goals[${g}].update.title`, message: 'expected a string, got a number' },
    ]);
  });

  it('lets the explicit option override, or skip with null, the tx schema', () => {
    const chunk = (typed as any).unknown[g].update({ a: 1 });
    expect(() => compile(chunk)).toThrow(InstantValidationError);
    expect(compile(chunk, { schema: null })).toEqual([['update', 'unknown', g, { a: 1 }]]);
  });

  it('without a schema, rejects nothing Instant would accept', () => {
    expect(compile(tx.anything[g].update({ any: { shape: [1, 'x', null] } }).link({ whatever: u }))).toHaveLength(2);
  });
});
