import { describe, expect, it } from 'vitest';
import { dataAttr, linkAttr } from '../support/attr-steps.ts';
import { useServer, uuid } from './helpers.ts';

/** An `add-attr` step for a data attribute. */
const blob = (ns: string, label: string, opts: Record<string, unknown> = {}): unknown[] => [
  'add-attr',
  dataAttr(ns, label, opts),
];

/** An `add-attr` step for a link `ns.label` ⇄ `revNs.revLabel`. */
const ref = (ns: string, label: string, revNs: string, revLabel: string, opts: Record<string, unknown> = {}) => [
  'add-attr',
  linkAttr(ns, label, revNs, revLabel, opts),
];

describe('transaction semantics: lookups in Instant order', () => {
  const api = useServer();

  it('create with a new lookup creates; strict update with a missing lookup fails and writes nothing', async () => {
    await api.transact([blob('lk_books', 'isbn', { 'unique?': true, 'index?': true })]);
    expect((await api.transact([['create', 'lk_books', ['isbn', '1'], { title: 'one' }]])).status).toBe(200);
    expect((await api.transact([['create', 'lk_books', ['isbn', '1'], { title: 'again' }]])).status).toBe(400);
    const strict = await api.transact([['update', 'lk_books', ['isbn', '2'], { title: 'two' }, { upsert: false }]]);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toMatch(
      /^Validation failed for tx-step: Updating entities that don't exist: \[#uuid "/,
    );
    const books = (await api.query({ lk_books: {} })).body.lk_books;
    expect(books.map((book: { isbn: string }) => book.isbn)).toEqual(['1']);
  });

  it('a lookup that creates its entity may not also write its own attribute; an existing one may', async () => {
    await api.transact([blob('lk_users', 'handle', { 'unique?': true, 'index?': true })]);
    const created = await api.transact([['update', 'lk_users', ['handle', 'new'], { handle: 'newer' }]]);
    expect(created.status).toBe(400);
    expect(created.body.hint.errors[0].message).toBe(
      'Updates with lookups can only update the lookup attribute if an entity with the unique attribute value already exists.',
    );
    expect((await api.query({ lk_users: {} })).body.lk_users).toEqual([]);
    await api.transact([['update', 'lk_users', ['handle', 'old'], {}]]);
    expect((await api.transact([['update', 'lk_users', ['handle', 'old'], { handle: 'renamed' }]])).status).toBe(200);
    expect((await api.query({ lk_users: {} })).body.lk_users).toEqual([{ id: expect.any(String), handle: 'renamed' }]);
  });

  it('`<link>.id` looks up through a has-one link, creating the link and the entity', async () => {
    const owner = uuid();
    await api.transact([['update', 'lk_owners', owner, { name: 'o' }]]);
    expect((await api.transact([['update', 'lk_prefs', ['lk_owners.id', owner], { theme: 'dark' }]])).status).toBe(200);
    expect((await api.transact([['update', 'lk_prefs', ['lk_owners.id', owner], { size: 2 }]])).status).toBe(200);
    const data = (await api.query({ lk_owners: { lk_prefs: {} } })).body;
    expect(data.lk_owners).toHaveLength(1);
    expect(data.lk_owners[0].lk_prefs).toEqual([{ id: expect.any(String), lk_owners: owner, theme: 'dark', size: 2 }]);
    const bad = await api.transact([['update', 'lk_prefs', ['lk_owners.name', 'o'], {}]]);
    expect(bad.body.hint.errors).toEqual([{ message: 'lk_owners.name is not a valid lookup attribute.' }]);
  });

  it('unlinking a lookup that finds nothing is a no-op; linking one is an error, with or without throw-on-missing-attrs?', async () => {
    const tag = uuid();
    const post = uuid();
    await api.transact([
      blob('lk_tags', 'slug', { 'unique?': true, 'index?': true }),
      ['update', 'lk_tags', tag, { slug: 'a' }],
      ['update', 'lk_posts', post, { title: 'p' }],
      ['link', 'lk_posts', post, { lk_tags: tag }],
    ]);
    expect((await api.transact([['unlink', 'lk_posts', post, { lk_tags: { slug: 'nope' } }]])).status).toBe(200);
    for (const extra of [{}, { 'throw-on-missing-attrs?': true }]) {
      const link = await api.transact([['link', 'lk_posts', post, { lk_tags: { slug: 'nope' } }]], extra);
      expect(link.status).toBe(400);
      expect(link.body.message).toBe('Validation failed for lookup: The entity for the lookup does not exist.');
    }
  });

  it('a bad `lookup__…` string names its attribute and value', async () => {
    const res = await api.transact([['link', 'lk_spans', uuid(), { parent: 'lookup__linkOn__undefined' }]]);
    expect(res.body.hint.errors).toEqual([
      { message: 'lookup value is invalid', hint: { attribute: 'linkOn', value: 'undefined' } },
    ]);
  });
});

describe('transaction semantics: links and unique values', () => {
  const api = useServer();

  it('a has-one target already linked from another source is record-not-unique; relinking is fine', async () => {
    const [a, b, target] = [uuid(), uuid(), uuid()];
    await api.transact([
      ref('ho_users', 'profile', 'ho_profiles', 'user', { 'unique?': true }),
      ['update', 'ho_users', a, {}],
      ['update', 'ho_users', b, {}],
      ['update', 'ho_profiles', target, {}],
    ]);
    await api.transact([['link', 'ho_users', a, { profile: target }]]);
    expect((await api.transact([['link', 'ho_users', a, { profile: target }]])).status).toBe(200);
    const taken = await api.transact([['link', 'ho_users', b, { profile: target }]]);
    expect(taken.status).toBe(400);
    expect(taken.body.type).toBe('record-not-unique');
    const profiles = (await api.query({ ho_profiles: { user: {} } })).body.ho_profiles;
    expect(profiles).toEqual([{ id: target, user: [{ id: a, profile: target }] }]);
  });

  it('`update` writing a link label takes only an entity id', async () => {
    const [user, tag] = [uuid(), uuid()];
    await api.transact([
      ref('ul_users', 'tags', 'ul_tags', 'users', { cardinality: 'many' }),
      ['update', 'ul_users', user, {}],
      ['update', 'ul_tags', tag, {}],
    ]);
    for (const value of ['Foo', '', { foo: 'bar' }, null, 3]) {
      const res = await api.transact([['update', 'ul_users', user, { tags: value }]]);
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('Linked value must be a valid uuid.');
      expect(res.body.hint.value).toEqual(value);
    }
    expect((await api.query({ ul_users: { tags: {} } })).body.ul_users).toEqual([{ id: user, tags: [] }]);
    expect((await api.transact([['update', 'ul_users', user, { tags: tag.toUpperCase() }]])).status).toBe(200);
    expect((await api.query({ ul_users: { tags: {} } })).body.ul_users).toEqual([{ id: user, tags: [{ id: tag }] }]);
  });

  it('many entities may hold null in a unique attribute', async () => {
    await api.transact([blob('un_users', 'email', { 'unique?': true, 'index?': true })]);
    const res = await api.transact([
      ['update', 'un_users', uuid(), { email: null }],
      ['update', 'un_users', uuid(), { email: null }],
    ]);
    expect(res.status).toBe(200);
    const dupe = await api.transact([
      ['update', 'un_users', uuid(), { email: 'a@b.co' }],
      ['update', 'un_users', uuid(), { email: 'a@b.co' }],
    ]);
    expect(dupe.body.type).toBe('record-not-unique');
    // A lookup of null finds none of them: it makes a new entity.
    expect((await api.transact([['update', 'un_users', ['email', null], { n: 1 }]])).status).toBe(200);
    const rows = (await api.query({ un_users: { $: { where: { n: 1 } } } })).body.un_users;
    expect(rows).toEqual([{ id: expect.any(String), email: null, n: 1 }]);
  });
});

describe('transaction semantics: required attributes', () => {
  const api = useServer();
  const [author, book] = [uuid(), uuid()];

  it('a write that leaves an entity without a required value fails, naming it', async () => {
    await api.transact([
      blob('rq_books', 'id', { 'unique?': true, 'index?': true, 'required?': true }),
      blob('rq_books', 'title', { 'required?': true }),
      ref('rq_books', 'author', 'rq_authors', 'books', { 'required?': true }),
    ]);
    const res = await api.transact([['update', 'rq_books', book, { title: 'no author' }]]);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`Missing required attribute \`rq_books/author\`: ${book}`);
    expect(res.body.hint.records).toEqual([
      { entity_id: book, attr_id: expect.any(String), etype: 'rq_books', label: 'author', is_required: true },
    ]);
  });

  it('deleting the target of a required link fails on the entity that linked to it', async () => {
    const ok = await api.transact([
      ['update', 'rq_authors', author, { name: 'a' }],
      ['update', 'rq_books', book, { title: 't' }],
      ['link', 'rq_books', book, { author }],
    ]);
    expect(ok.status).toBe(200);
    const res = await api.transact([['delete', 'rq_authors', author]]);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`Missing required attribute \`rq_books/author\`: ${book}`);
    expect((await api.transact([['update', 'rq_books', book, { title: null }]])).body.type).toBe('validation-failed');
    expect((await api.transact([['delete', 'rq_books', book]])).status).toBe(200);
  });

  it('a required attribute cannot be added to a namespace that has entities', async () => {
    const res = await api.transact([blob('rq_authors', 'born', { 'required?': true })]);
    expect(res.body.message).toBe(
      "Validation failed for attributes: Can't create attribute `born` as required because `rq_authors` already have entities",
    );
  });
});

describe('transaction semantics: attributes', () => {
  const api = useServer();

  it('re-adding an identical attribute changes nothing; a taken name is record-not-unique', async () => {
    const step = blob('at_todos', 'text');
    expect((await api.transact([step])).status).toBe(200);
    expect((await api.transact([step])).status).toBe(200);
    const again = await api.transact([blob('at_todos', 'text')]);
    expect(again.body).toEqual({
      type: 'record-not-unique',
      message: '`text` already exists on `at_todos`',
      hint: { 'record-type': 'ident', etype: 'at_todos', label: 'text' },
    });
    const sameIdNewIdent = ['add-attr', { ...(step[1] as object), 'forward-identity': [uuid(), 'at_todos', 'text'] }];
    expect((await api.transact([sameIdNewIdent])).body.type).toBe('record-not-unique');
  });

  it('system namespaces and columns are reserved', async () => {
    expect((await api.transact([blob('$moop', 'id')])).body.message).toBe(
      "Validation failed for attributes: $ is reserved for system tables. You can't create $moop",
    );
    expect((await api.transact([['update', '$moop', uuid(), { a: 1 }]])).status).toBe(400);
    expect((await api.transact([blob('$users', 'email')])).body.message).toBe(
      'Validation failed for attributes: $users.email is a system column and it already exists.',
    );
    const required = await api.transact([blob('$users', 'nickname', { 'required?': true })]);
    expect(required.body.message).toMatch(/^You can't create a required system attribute\. Make sure it's optional\./);
    expect((await api.transact([blob('$users', 'nickname')])).status).toBe(200);
  });

  it('a $files entity cannot be made by a transaction: it lacks the required system attributes', async () => {
    const res = await api.transact([['update', '$files', uuid(), {}]]);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^Missing required attribute/);
  });
});

describe('transaction semantics: values and sizes', () => {
  const api = useServer();

  it('a NUL character anywhere in a value is rejected', async () => {
    for (const value of ['a\u0000b', { deep: ['x\u0000'] }, { 'k\u0000': 1 }]) {
      const res = await api.transact([['update', 'nul_notes', uuid(), { body: value }]]);
      expect(res.body).toEqual({
        type: 'validation-failed',
        message: 'A value in the transaction contains null bytes, which cannot be stored.',
        hint: { condition: 'untranslatable-character' },
      });
    }
  });

  it('an indexed value over 1 KB is too large; an unindexed one is not', async () => {
    const id = uuid();
    await api.transact([blob('big_notes', 'slug', { 'index?': true })]);
    const res = await api.transact([['update', 'big_notes', id, { slug: 'é'.repeat(600) }]]);
    expect(res.body.message).toBe('Value is too large for an indexed attribute.');
    expect(res.body.hint.value).toBe(`"${'é'.repeat(31)}...`);
    expect(res.body.hint['value-too-large?']).toBe(true);
    expect((await api.transact([['update', 'big_notes', id, { body: 'x'.repeat(5000) }]])).status).toBe(200);
  });

  it('a checked type mismatch answers with the attribute, value and entity', async () => {
    const id = uuid();
    await api.transact([blob('ty_notes', 'n', { 'checked-data-type': 'number' })]);
    const res = await api.transact([['update', 'ty_notes', id, { n: 'x' }]]);
    expect(res.body.message).toBe(
      'Invalid value type for ty_notes.n. Value must be a number but the provided value type is string.',
    );
    expect(res.body.hint).toMatchObject({ namespace: 'ty_notes', attribute: 'n', value: 'x', 'entity-id': id });
  });

  it('a transaction too large for one Postgres statement is parameter-limit-exceeded', async () => {
    const steps = Array.from({ length: 13_200 }, () => ['update', 'pl_rows', uuid(), {}]);
    const res = await api.transact(steps);
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('parameter-limit-exceeded');
    expect((await api.query({ pl_rows: {} })).body.pl_rows).toEqual([]);
  });
});

describe('transaction semantics: step shapes', () => {
  const api = useServer();

  it('answers spec problems with the bare message and {expected, in}', async () => {
    const cases: [unknown[], unknown][] = [
      [[['update', 'goals', uuid()]], { expected: 'map?', in: [0] }],
      [[['update', 1, uuid(), {}]], { expected: 'string?', in: [0, 1] }],
      [[['update', 'goals', uuid(), {}, { upsert: 'yes' }]], { expected: 'boolean?', in: [0, 4, 'upsert'] }],
      [
        [['link', 'goals', uuid(), { todos: 'x' }]],
        { expected: 'instant.admin.model/lookup?', in: [0, 3, 'todos', 1] },
      ],
      [[['delete-attr', 'x']], { expected: 'instant.admin.model/coercible-uuid?', in: [0, 1] }],
    ];
    for (const [steps, error] of cases) {
      const res = await api.transact(steps);
      expect(res.body.message, JSON.stringify(steps)).toBe('Validation failed for steps');
      expect(res.body.hint.errors).toEqual([error]);
    }
  });

  it('reports a bad entity id before other problems, quoting it as given', async () => {
    const res = await api.transact([
      ['update', 1, uuid(), {}],
      ['delete', 'goals', true],
    ]);
    expect(res.body.hint.errors).toEqual([
      { message: "Invalid entity ID 'true'. Entity IDs must be UUIDs or lookup references.", in: [1, 2] },
    ]);
  });

  it('checks add-attr against the attribute spec as tx-steps', async () => {
    const attr = { id: uuid(), 'forward-identity': [uuid(), 'goals', 'x'], 'value-type': 'blob', cardinality: 'one' };
    const missing = await api.transact([['add-attr', attr]]);
    expect(missing.body.message).toBe('Validation failed for tx-steps');
    expect(missing.body.hint.errors).toEqual([{ expected: '(contains? % :unique?)', in: [0, 1] }]);
    const badIdent = await api.transact([
      ['add-attr', { ...attr, 'unique?': false, 'index?': false, 'forward-identity': ['f', 'goals', 'x'] }],
    ]);
    expect(badIdent.body.hint.errors).toEqual([{ expected: 'uuid?', in: [0, 1, 'forward-identity', 0] }]);
  });

  it('steps that are not an array are a malformed parameter', async () => {
    const res = await api.call('POST', '/admin/transact', { steps: { a: 1 } });
    expect(res.body).toEqual({
      type: 'param-malformed',
      message: 'Malformed parameter: ["body" "steps"]',
      hint: { in: ['body', 'steps'], 'original-input': { a: 1 } },
    });
  });
});

describe('transaction semantics: a new entity written twice in one transaction', () => {
  const api = useServer();

  it('keeps the last value of a cardinality-one attribute, and merges onto what the same transaction wrote', async () => {
    const id = uuid();
    const res = await api.transact([
      ['update', 'twice_goals', id, { title: 'first', meta: { a: 1 } }],
      ['update', 'twice_goals', id, { title: 'second' }],
      ['merge', 'twice_goals', id, { meta: { b: 2 } }],
    ]);
    expect(res.status).toBe(200);
    const goals = (await api.query({ twice_goals: {} })).body.twice_goals;
    expect(goals).toEqual([{ id, title: 'second', meta: { a: 1, b: 2 } }]);
  });
});
