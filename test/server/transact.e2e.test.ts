import { describe, expect, it } from 'vitest';
import { useServer, uuid } from './helpers.ts';

describe('POST /admin/transact (raw HTTP, real SQLite)', () => {
  const api = useServer();

  it('writes update, reads it back, and answers a numeric tx-id', async () => {
    const g = uuid();
    const res = await api.transact([['update', 'goals', g, { title: 'Get fit', meta: { tags: ['a'] } }]]);
    expect(res.status).toBe(200);
    expect(typeof res.body['tx-id']).toBe('number');
    const q = await api.query({ goals: { $: { where: { id: g } } } });
    expect(q.body).toEqual({ goals: [{ id: g, title: 'Get fit', meta: { tags: ['a'] } }] });
  });

  it('create fails for an existing entity; strict update fails for a missing one; nothing is written', async () => {
    const g = uuid();
    await api.transact([['create', 'goals', g, { title: 'a' }]]);
    const again = await api.transact([['create', 'goals', g, { title: 'b' }]]);
    expect(again.status).toBe(400);
    expect(again.body.type).toBe('validation-failed');
    expect(again.body.message).toBe(`Validation failed for tx-step: Creating entities that exist: ${g}`);
    const missing = uuid();
    const strict = await api.transact([
      ['update', 'goals', uuid(), { title: 'x' }],
      ['update', 'goals', missing, { title: 'y' }, { upsert: false }],
    ]);
    expect(strict.body.message).toBe(`Validation failed for tx-step: Updating entities that don't exist: ${missing}`);
    const all = await api.query({ goals: { $: { where: { title: 'x' } } } });
    expect(all.body.goals).toEqual([]);
    const created = uuid();
    const sameTx = await api.transact([
      ['create', 'goals', created, { title: 'c' }],
      ['update', 'goals', created, { title: 'd' }, { upsert: false }],
    ]);
    expect(sameTx.status).toBe(400);
  });

  it('merge deep-merges JSON, null deletes nested keys, arrays replace', async () => {
    const g = uuid();
    await api.transact([['update', 'goals', g, { meta: { a: 1, b: { c: 2, d: 3 }, list: [1, 2] } }]]);
    await api.transact([['merge', 'goals', g, { meta: { b: { c: null, e: 4 }, list: [9] } }]]);
    const q = await api.query({ goals: { $: { where: { id: g } } } });
    expect(q.body.goals[0].meta).toEqual({ a: 1, b: { d: 3, e: 4 }, list: [9] });
  });

  it('links and unlinks in both directions; has-one links replace', async () => {
    const g = uuid();
    const [t1, t2] = [uuid(), uuid()];
    const o1 = uuid();
    const o2 = uuid();
    const setup = await api.transact([
      [
        'add-attr',
        {
          id: uuid(),
          'forward-identity': [uuid(), 'projects', 'owner'],
          'reverse-identity': [uuid(), 'people', 'projects'],
          'value-type': 'ref',
          cardinality: 'one',
          'unique?': false,
          'index?': false,
        },
      ],
      ['update', 'projects', g, { name: 'p' }],
      ['update', 'people', o1, { name: 'o1' }],
      ['update', 'people', o2, { name: 'o2' }],
      ['update', 'tasks', t1, { n: 1 }],
      ['update', 'tasks', t2, { n: 2 }],
      ['link', 'projects', g, { owner: o1, tasks: [t1, t2] }],
    ]);
    expect(setup.body).toEqual({ 'tx-id': expect.any(Number) });
    await api.transact([
      ['link', 'projects', g, { owner: o2 }],
      ['unlink', 'tasks', t1, { projects: g }],
    ]);
    const q = await api.query({ projects: { $: { where: { id: g } }, owner: {}, tasks: {} } });
    expect(q.body.projects[0].owner.map((o: { id: string }) => o.id)).toEqual([o2]);
    expect(q.body.projects[0].tasks.map((t: { id: string }) => t.id)).toEqual([t2]);
    expect(q.body.projects[0].owner).toHaveLength(1);
    const inferred = await api.query({ projects: { $: { where: { id: g } }, owner: {} } }, { 'inference?': true });
    expect(inferred.body.projects[0].owner.id).toBe(o2);
  });

  it('accepts lookups in all three eid forms and in link targets, creating entities by lookup', async () => {
    await api.transact([
      [
        'add-attr',
        {
          id: uuid(),
          'forward-identity': [uuid(), 'users2', 'handle'],
          'value-type': 'blob',
          cardinality: 'one',
          'unique?': true,
          'index?': true,
        },
      ],
    ]);
    await api.transact([['update', 'users2', ['handle', 'stopa'], { name: 'Stepan' }]]);
    await api.transact([['update', 'users2', { handle: 'stopa' }, { age: 30 }]]);
    await api.transact([['update', 'users2', 'lookup__handle__"stopa"', { city: 'SF' }]]);
    const q = await api.query({ users2: { $: { where: { handle: 'stopa' } } } });
    expect(q.body.users2).toHaveLength(1);
    expect(q.body.users2[0]).toMatchObject({ handle: 'stopa', name: 'Stepan', age: 30, city: 'SF' });
    const g = uuid();
    await api.transact([
      ['update', 'goals', g, { title: 'x' }],
      ['link', 'goals', g, { owner2: 'lookup__handle__"stopa"' }],
    ]);
    const nonUnique = await api.transact([['update', 'goals', ['title', 'x'], { a: 1 }]]);
    expect(nonUnique.status).toBe(400);
    expect(nonUnique.body.message).toContain('title is not a unique attribute on goals');
  });

  it('delete removes the entity and links to it; cascade follows onDelete', async () => {
    await api.transact([
      [
        'add-attr',
        {
          id: uuid(),
          'forward-identity': [uuid(), 'comments', 'post'],
          'reverse-identity': [uuid(), 'posts', 'comments'],
          'value-type': 'ref',
          cardinality: 'one',
          'unique?': false,
          'index?': false,
          'on-delete': 'cascade',
        },
      ],
    ]);
    const [p, c1, c2] = [uuid(), uuid(), uuid()];
    await api.transact([
      ['update', 'posts', p, { t: 1 }],
      ['update', 'comments', c1, { t: 1 }],
      ['update', 'comments', c2, { t: 2 }],
      ['link', 'posts', p, { comments: [c1, c2] }],
    ]);
    const res = await api.transact([['delete', 'posts', p, null]]);
    expect(res.status).toBe(200);
    const q = await api.query({
      posts: { $: { where: { id: p } } },
      comments: { $: { where: { id: { $in: [c1, c2] } } } },
    });
    expect(q.body).toEqual({ posts: [], comments: [] });
  });

  it('with throw-on-missing-attrs?, unknown attributes are an error and nothing is written', async () => {
    const g = uuid();
    const res = await api.transact([['update', 'strictns', g, { color: 'red' }]], { 'throw-on-missing-attrs?': true });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Validation failed for steps: Attributes are missing in your schema');
    expect(res.body.hint.errors[0].hint.attributes).toEqual(['strictns.id', 'strictns.color']);
    expect((await api.query({ strictns: {} })).body).toEqual({ strictns: [] });
  });

  it('runs all steps in one SQLite transaction: a failing step rolls back the earlier ones', async () => {
    const g = uuid();
    await api.transact([
      [
        'add-attr',
        {
          id: uuid(),
          'forward-identity': [uuid(), 'typed', 'n'],
          'value-type': 'blob',
          cardinality: 'one',
          'unique?': false,
          'index?': false,
          'checked-data-type': 'number',
        },
      ],
    ]);
    const res = await api.transact([
      ['update', 'typed', g, { other: 'ok' }],
      ['update', 'typed', g, { n: 'not a number' }],
    ]);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(
      'Invalid value type for typed.n. Value must be a number but the provided value type is string.',
    );
    expect((await api.query({ typed: {} })).body).toEqual({ typed: [] });
  });

  it('drops id keys from attrs, and groups ops by kind (updates before deletes)', async () => {
    const [a, b] = [uuid(), uuid()];
    await api.transact([['update', 'order', a, { id: b, n: 1 }]]);
    expect((await api.query({ order: { $: { where: { id: a } } } })).body.order).toEqual([{ id: a, n: 1 }]);
    // Groups run in the order each kind first appears: both updates, then the delete.
    await api.transact([
      ['update', 'order', a, { n: 2 }],
      ['delete', 'order', a],
      ['update', 'order', a, { n: 3 }],
    ]);
    expect((await api.query({ order: { $: { where: { id: a } } } })).body.order).toEqual([]);
    await api.transact([
      ['delete', 'order', b],
      ['update', 'order', b, { n: 4 }],
    ]);
    expect((await api.query({ order: { $: { where: { id: b } } } })).body.order).toEqual([{ id: b, n: 4 }]);
  });

  it('rejects malformed steps with validation-failed naming the position, writing nothing', async () => {
    for (const steps of [
      [['updatez', 'goals', uuid(), {}]],
      [['update', 'goals', 'bad-id', {}]],
      [['update', '', uuid(), {}]],
      [['update', 'goals', uuid(), 5]],
    ]) {
      const res = await api.transact(steps as unknown[]);
      expect(res.status, JSON.stringify(steps)).toBe(400);
      expect(res.body.type).toBe('validation-failed');
    }
    // Steps that are not an array are a malformed parameter, as in Instant (`get-param!` with `coll?`).
    const notArray = await api.transact('nope' as unknown as unknown[]);
    expect(notArray.status).toBe(400);
    expect(notArray.body.type).toBe('param-malformed');
    const bad = await api.transact([['update', 'goals', 'bad-id', {}]]);
    expect(bad.body.hint.errors[0].in).toEqual([0, 2]);
    expect(bad.body.message).toContain("Invalid entity ID 'bad-id'");
  });
});
