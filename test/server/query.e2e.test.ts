import { beforeAll, describe, expect, it } from 'vitest';
import { useServer, uuid } from './helpers.ts';
import { linksOf, valuesOf, zenecaSteps } from './zeneca.ts';

const ids = (rows: { id: string }[]) => rows.map((row) => row.id).sort();

describe('POST /admin/query on the zeneca data set', () => {
  const api = useServer();
  const handles = valuesOf('users', 'handle');
  const titles = valuesOf('books', 'title');
  const userShelves = linksOf('users', 'bookshelves');
  const shelfBooks = linksOf('bookshelves', 'books');

  beforeAll(async () => {
    const steps = zenecaSteps();
    for (let start = 0; start < steps.length; start += 500) {
      const res = await api.transact(steps.slice(start, start + 500));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  });

  it('returns every entity of a namespace with its attributes', async () => {
    const { body } = await api.query({ users: {} });
    expect(ids(body.users)).toEqual([...handles.keys()].sort());
    const stopa = body.users.find((user: { handle: string }) => user.handle === 'stopa');
    expect(stopa).toMatchObject({ handle: 'stopa', email: valuesOf('users', 'email').get(stopa.id) });
  });

  it('filters by equality and follows nested links', async () => {
    const { body } = await api.query({ users: { $: { where: { handle: 'alex' } }, bookshelves: { books: {} } } });
    const alex = [...handles].find(([, handle]) => handle === 'alex')![0];
    const shelves = userShelves.filter(([user]) => user === alex).map(([, shelf]) => shelf);
    expect(body.users).toHaveLength(1);
    expect(ids(body.users[0].bookshelves)).toEqual([...shelves].sort());
    const shelf = body.users[0].bookshelves[0];
    expect(ids(shelf.books)).toEqual(
      shelfBooks
        .filter(([s]) => s === shelf.id)
        .map(([, book]) => book)
        .sort(),
    );
  });

  it('filters through dotted paths across two links', async () => {
    const { body } = await api.query({ books: { $: { where: { 'bookshelves.users.handle': 'stopa' } } } });
    const stopa = [...handles].find(([, handle]) => handle === 'stopa')![0];
    const shelves = new Set(userShelves.filter(([user]) => user === stopa).map(([, shelf]) => shelf));
    const expected = new Set(shelfBooks.filter(([shelf]) => shelves.has(shelf)).map(([, book]) => book));
    expect(ids(body.books)).toEqual([...expected].sort());
  });

  it('supports $in, $not, $isNull, $like, $ilike, and/or', async () => {
    const some = [...titles.keys()].slice(0, 3);
    expect(ids((await api.query({ books: { $: { where: { id: { $in: some } } } } })).body.books)).toEqual(
      [...some].sort(),
    );
    // zeneca's books.title is neither indexed nor typed: Instant refuses $like/$ilike on it.
    for (const op of ['$like', '$ilike']) {
      const refused = await api.query({ books: { $: { where: { title: { [op]: 'The%' } } } } });
      expect(refused.status).toBe(400);
      expect(refused.body.hint.errors[0]).toEqual({
        'expected?': 'indexed?',
        in: ['books', '$', 'where', 'title'],
        message: 'The `books.title` attribute must be indexed to use comparison operators.',
      });
    }
    const notStopa = [...handles].filter(([, h]) => h !== 'stopa').map(([e]) => e);
    expect(ids((await api.query({ users: { $: { where: { handle: { $not: 'stopa' } } } } })).body.users)).toEqual(
      notStopa.sort(),
    );
    const either = [...handles].filter(([, h]) => h === 'stopa' || h === 'alex').map(([e]) => e);
    expect(
      ids((await api.query({ users: { $: { where: { or: [{ handle: 'stopa' }, { handle: 'alex' }] } } } })).body.users),
    ).toEqual(either.sort());
    expect(
      (await api.query({ users: { $: { where: { and: [{ handle: 'stopa' }, { handle: 'alex' }] } } } })).body.users,
    ).toEqual([]);
    const noDesc = [...valuesOf('books', 'id').keys()].filter((e) => !valuesOf('books', 'description').has(e));
    expect(ids((await api.query({ books: { $: { where: { description: { $isNull: true } } } } })).body.books)).toEqual(
      noDesc.sort(),
    );
  });

  it('paginates with limit/offset in serverCreatedAt order, and narrows with fields', async () => {
    const all = (await api.query({ books: {} })).body.books.map((b: { id: string }) => b.id);
    const page = (await api.query({ books: { $: { limit: 5, offset: 10 } } })).body.books.map(
      (b: { id: string }) => b.id,
    );
    expect(page).toEqual(all.slice(10, 15));
    const last = (await api.query({ books: { $: { last: 2 } } })).body.books.map((b: { id: string }) => b.id);
    expect(last).toEqual(all.slice(-2));
    const narrow = (await api.query({ books: { $: { limit: 1, fields: ['title'] } } })).body.books[0];
    expect(Object.keys(narrow).sort()).toEqual(['id', 'title']);
  });

  it('returns [] for unknown namespaces and labels instead of failing', async () => {
    expect((await api.query({ nothing: {} })).body).toEqual({ nothing: [] });
    const res = await api.query({ users: { $: { limit: 1 }, nolink: {} } });
    expect(res.body.users[0].nolink).toEqual([]);
  });

  it('rejects malformed queries with validation-failed', async () => {
    for (const query of [
      { users: { $: { bogus: 1 } } },
      { users: { $: { limit: -1 } } },
      { users: { bookshelves: { $: { offset: 1 } } } },
      { users: 5 },
      { users: { $: { order: { a: 'up' } } } },
    ]) {
      const res = await api.query(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.type).toBe('validation-failed');
    }
  });
});

describe('ordering and comparisons on typed, indexed attributes', () => {
  const api = useServer();
  const rows = [5, 1, 3, 2, 4].map((n) => ({ id: uuid(), n, name: `The ${n}%` }));

  beforeAll(async () => {
    const typed = (label: string, type: string) => [
      'add-attr',
      {
        id: uuid(),
        'forward-identity': [uuid(), 'scores', label],
        'value-type': 'blob',
        cardinality: 'one',
        'unique?': false,
        'index?': true,
        'checked-data-type': type,
      },
    ];
    await api.transact([typed('n', 'number'), typed('name', 'string')]);
    await api.transact(rows.map((row) => ['update', 'scores', row.id, { n: row.n, name: row.name }]));
  });

  it('matches $like and $ilike patterns, with \\% and \\_ escapes', async () => {
    const ns = async (where: Record<string, unknown>) =>
      (await api.query({ scores: { $: { where, order: { n: 'asc' } } } })).body.scores.map((s: { n: number }) => s.n);
    expect(await ns({ name: { $like: 'The%' } })).toEqual([1, 2, 3, 4, 5]);
    expect(await ns({ name: { $like: 'the%' } })).toEqual([]);
    expect(await ns({ name: { $ilike: 'the%' } })).toEqual([1, 2, 3, 4, 5]);
    expect(await ns({ name: { $like: '%3\\%' } })).toEqual([3]);
    expect(await ns({ name: { $like: 'The _\\_' } })).toEqual([]);
    expect(await ns({ name: { $like: 'The _%' } })).toEqual([1, 2, 3, 4, 5]);
  });

  it('orders by an indexed typed attribute both ways and compares with $gt/$lte', async () => {
    const asc = (await api.query({ scores: { $: { order: { n: 'asc' } } } })).body.scores.map(
      (s: { n: number }) => s.n,
    );
    expect(asc).toEqual([1, 2, 3, 4, 5]);
    const desc = (await api.query({ scores: { $: { order: { n: 'desc' }, limit: 2 } } })).body.scores.map(
      (s: { n: number }) => s.n,
    );
    expect(desc).toEqual([5, 4]);
    const gt = (await api.query({ scores: { $: { where: { n: { $gt: 3 } }, order: { n: 'asc' } } } })).body.scores.map(
      (s: { n: number }) => s.n,
    );
    expect(gt).toEqual([4, 5]);
    const lte = (
      await api.query({ scores: { $: { where: { n: { $lte: 2 } }, order: { n: 'asc' } } } })
    ).body.scores.map((s: { n: number }) => s.n);
    expect(lte).toEqual([1, 2]);
  });

  it('refuses to order by an attribute that is not indexed and typed', async () => {
    await api.transact([['update', 'scores', uuid(), { loose: 1 }]]);
    const res = await api.query({ scores: { $: { order: { loose: 'asc' } } } });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(
      'The `scores.loose` attribute is not indexed. Only indexed and typed attributes can be used to order by.',
    );
  });
});

describe('cursors', () => {
  const api = useServer();
  const rows = [10, 20, 30, 40].map((n) => ({ id: uuid(), n }));
  const nAttr = uuid();

  beforeAll(async () => {
    await api.transact([
      [
        'add-attr',
        {
          id: nAttr,
          'forward-identity': [uuid(), 'pages', 'n'],
          'value-type': 'blob',
          cardinality: 'one',
          'unique?': false,
          'index?': true,
          'checked-data-type': 'number',
        },
      ],
    ]);
    await api.transact(rows.map((row) => ['update', 'pages', row.id, { n: row.n }]));
  });

  it('pages after and before a cursor in the query order, inclusive or not', async () => {
    const page = async ($: Record<string, unknown>) =>
      (await api.query({ pages: { $: { order: { n: 'asc' }, ...$ } } })).body.pages.map((p: { n: number }) => p.n);
    // A cursor is the row's join row for the order attribute: [entity, attribute id, value, created_at].
    const cursor = (row: { id: string; n: number }) => [row.id, nAttr, row.n, 0];
    expect(await page({ after: cursor(rows[1]!) })).toEqual([30, 40]);
    expect(await page({ after: cursor(rows[1]!), afterInclusive: true, limit: 2 })).toEqual([20, 30]);
    expect(await page({ before: cursor(rows[2]!) })).toEqual([10, 20]);
    expect(await page({ before: cursor(rows[2]!), beforeInclusive: true, after: cursor(rows[0]!) })).toEqual([20, 30]);
  });
});
