/**
 * Instant's `server/test/instant/db/instaql_test.clj` (lines 2997–end: comparators, typed `$in`, ordering,
 * child forms, missing attrs, read permissions, aggregates, `$users`, fields, rule wheres), ported as
 * HTTP-level cases against the local server (see ./harness.ts for the conventions).
 *
 * Translation (Instant's test → what a user of the Admin HTTP API does):
 * - `iq/query` / `iq/permissioned-query` with `:admin? true` → POST /admin/query as the admin; the
 *   `query-pretty` topic/triple snapshots → the entities those triples describe (rows compared as sets
 *   unless the query orders them; nested rows in the order Instant's `sort-entries` gives).
 * - `pretty-perm-q` (`permissioned-query` without `:admin?`) with `:current-user nil` → as a guest; with a
 *   current user → as that `$users` user (`as-token` / `as-email`). Instant's zeneca fixture creates a
 *   `$users` row for each zeneca user with the same id and email (`bootstrap/add-zeneca-to-app!`), which
 *   is done here with POST /admin/refresh_tokens `{email, id}` where a case needs it.
 * - `rule-model/put!` → a fresh app started with those rules (our rules are fixed per app).
 * - `[:add-triple e :ns/attr v]` → `update` (which also writes the `id` triple); ref triples → `link`.
 * - Cases whose data is unrelated to zeneca (`etype` namespaces added to a zeneca app) use an empty app:
 *   Instant's queries there never touch the zeneca data.
 *
 * Skipped (cannot be expressed over the Admin HTTP API):
 * - comparators › "uses index" / "like uses index", lookup-unique-uses-the-av-index,
 *   pg-hint-plan-is-working: Postgres EXPLAIN plans and pg_hint_plan hints.
 * - coarse-topics, and every topic in the `query-pretty` snapshots: internal invalidation topics.
 * - indexing? / uniqueing? after the first query: they flip `is_indexed`/`indexing`/`is_unique`/
 *   `setting_unique` with raw SQL, leaving attr flags out of step with the stored triples; no route does that.
 * - read-perms › "page-info is filtered": page-info is not part of the /admin/query response.
 * - aggregates: the `{:count n}` values — `/admin/query` renders only the object tree
 *   (`admin/routes.clj` `query-post` → `instaql-nodes->object-tree`), so only the (empty) rows are checked.
 * - fields-with-rules: "1 to fetch the query result, 1 to fetch rules, 1 to preload entity maps" (SQL count).
 * - files: a `$files` row comes from `app-file/create!` (storage upload with S3 location and metadata,
 *   presigned url mocked by `with-redefs`); the storage routes are outside the Admin HTTP API implemented
 *   here (spec §0), and `location-id`/`size`/`content-type` cannot be written through /admin/transact.
 * - indexed-ors-collapse-isNull-true › "indexed fields collapse ors" / "non-indexed fields don't collapse
 *   ors": they compare `iq/->forms!` (internal coerced forms); the results of those `or`s are checked.
 * - query-rate-limit-e2e (rate limits, left out of this suite as in the other ports; Instant's test also
 *   stands up its own Hazelcast ephemeral store, `eph/init-hz`, for the `$rateLimits` buckets).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { type Answer, type App, type Caller, describe, it, startApp, uuid, withApp } from './harness.ts';
import {
  loadInstantZeneca,
  userId,
  user,
  users,
  shelfId,
  shelf,
  bookId,
  book,
  emailOf,
  handles,
  byId,
} from './zeneca-fixture.ts';

const FILE = 'instaql_test.clj';
const _sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------
// Zeneca fixtures (after the colleague's port of the first half of the file)

/** Mirrors Clojure's `(set (map #(get % field) rows))`: a missing key reads as nil. */
const fieldSet = (rows: Record<string, unknown>[], field: string): Set<unknown> =>
  new Set(rows.map((row) => (field in row ? row[field] : null)));

/** Mirrors `(set (keep field rows))`: nil values are dropped. */
const keptSet = (rows: Record<string, unknown>[], field: string): Set<unknown> =>
  new Set(rows.map((row) => row[field]).filter((value) => value !== null && value !== undefined));

/** Creates (or finds) the `$users` row with this email (and id) and mints a refresh token for it. */
async function appUser(app: App, email: string, id?: string): Promise<{ id: string; token: string }> {
  const answer = await app.call('POST', '/admin/refresh_tokens', { email, ...(id ? { id } : {}) });
  if (answer.status !== 200) throw new Error(`refresh_tokens answered ${answer.status}: ${answer.text}`);
  return { id: answer.body.user.id, token: answer.body.user.refresh_token };
}

/** The `$users` rows `add-zeneca-to-app!` creates: one per zeneca user, same id and email. */
async function addZenecaAppUsers(app: App): Promise<Record<string, { id: string; token: string }>> {
  const made: Record<string, { id: string; token: string }> = {};
  for (const handle of handles) made[handle] = await appUser(app, emailOf(handle), userId(handle));
  return made;
}

const blobAttr = (ns: string, label: string, flags: Record<string, unknown> = {}, id = uuid()) => [
  'add-attr',
  {
    id,
    'forward-identity': [uuid(), ns, label],
    'unique?': false,
    'index?': false,
    'value-type': 'blob',
    cardinality: 'one',
    ...flags,
  },
];

const refAttr = (
  ns: string,
  label: string,
  revNs: string,
  revLabel: string,
  flags: Record<string, unknown> = {},
  id = uuid(),
) => [
  'add-attr',
  {
    id,
    'forward-identity': [uuid(), ns, label],
    'reverse-identity': [uuid(), revNs, revLabel],
    'unique?': false,
    'index?': false,
    'value-type': 'ref',
    cardinality: 'one',
    ...flags,
  },
];

// ---------------------------------------------------------------------------------------------------
// Shared apps, started on first use and closed at the end

const started: Promise<App>[] = [];
function lazyApp(make: () => Promise<App>): () => Promise<App> {
  let app: Promise<App> | undefined;
  return () => {
    if (!app) {
      app = make();
      started.push(app);
    }
    return app;
  };
}
afterAll(async () => {
  await Promise.all(started.map(async (app) => (await app).close()));
});

/** `with-zeneca-app` (read-only here). */
const zeneca = lazyApp(async () => {
  const app = await startApp();
  await loadInstantZeneca(app, false);
  return app;
});

/** `with-zeneca-checked-data-app` (read-only here). */
const checkedZeneca = lazyApp(async () => {
  const app = await startApp();
  await loadInstantZeneca(app, true);
  return app;
});

// ---------------------------------------------------------------------------------------------------
// The typed `etype` app of comparators, in-with-types, arbitrary-order-by-all-types and
// indexed-ors-collapse-isNull-true

interface EtypeApp {
  app: App;
  attrIds: Record<'id' | 'label' | 'string' | 'number' | 'boolean' | 'date', string>;
  /** Entity id by label. */
  ids: Record<string, string>;
}

/**
 * `etype` with `id` and `label` (unique, string) and `string`/`number`/`boolean`/`date` (indexed, typed);
 * rows a–e with `string` "i", `number` i, `date` i (epoch ms), `boolean` (i even). `labelIndexed` is
 * false in indexed-ors-collapse-isNull-true, which also adds a row labelled "nil" with nothing else.
 */
async function etypeApp(labelIndexed: boolean, withNilRow: boolean): Promise<EtypeApp> {
  const app = await startApp();
  const attrIds = {
    id: uuid(),
    label: uuid(),
    string: uuid(),
    number: uuid(),
    boolean: uuid(),
    date: uuid(),
  };
  await app.mustTransact([
    blobAttr('etype', 'id', { 'unique?': true, 'index?': true, 'checked-data-type': 'string' }, attrIds.id),
    blobAttr(
      'etype',
      'label',
      { 'unique?': true, 'index?': labelIndexed, 'checked-data-type': 'string' },
      attrIds.label,
    ),
    ...(['string', 'number', 'boolean', 'date'] as const).map((type) =>
      blobAttr('etype', type, { 'index?': true, 'checked-data-type': type }, attrIds[type]),
    ),
  ]);
  const ids: Record<string, string> = {};
  const rows: unknown[] = ['a', 'b', 'c', 'd', 'e'].map((label, i) => {
    ids[label] = uuid();
    return ['update', 'etype', ids[label], { label, string: String(i), number: i, date: i, boolean: i % 2 === 0 }];
  });
  if (withNilRow) {
    ids.nil = uuid();
    rows.push(['update', 'etype', ids.nil, { label: 'nil' }]);
  }
  await app.mustTransact(rows);
  return { app, attrIds, ids };
}

/**
 * `run-query`: the etype rows' `field` values, as a set. Instant's `run-query` calls
 * `iq/permissioned-query` without `:admin?` or a current user, i.e. a guest in an app without rules.
 */
async function etypeValues(app: App, field: string, where: Record<string, unknown>): Promise<Set<unknown>> {
  const { etype } = await app.mustQuery({ etype: { $: { where } } }, { guest: true });
  return fieldSet(etype, field);
}

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › comparators`, () => {
  let fixture: EtypeApp;
  beforeAll(async () => {
    fixture = await etypeApp(true, false);
  });
  afterAll(() => fixture?.app.close());

  const cases: [string, Record<string, unknown>, unknown[]][] = [
    ['string', { string: { $gt: '2' } }, ['3', '4']],
    ['string', { string: { $gte: '2' } }, ['2', '3', '4']],
    ['string', { string: { $lt: '2' } }, ['0', '1']],
    ['string', { string: { $lte: '2' } }, ['0', '1', '2']],
    ['string', { string: '1' }, ['1']],
    ['string', { string: { $not: '1' } }, ['0', '2', '3', '4']],
    ['number', { number: { $gt: 2 } }, [3, 4]],
    ['number', { number: { $gte: 2 } }, [2, 3, 4]],
    ['number', { number: { $lt: 2 } }, [0, 1]],
    ['number', { number: { $lte: 2 } }, [0, 1, 2]],
    ['number', { number: 1 }, [1]],
    ['number', { number: { $not: 1 } }, [0, 2, 3, 4]],
    ['date', { date: { $gt: 2 } }, [3, 4]],
    ['date', { date: { $gte: 2 } }, [2, 3, 4]],
    ['date', { date: { $lt: 2 } }, [0, 1]],
    ['date', { date: { $lte: 2 } }, [0, 1, 2]],
    ['date', { date: 1 }, [1]],
    // `(.toString (Instant/ofEpochMilli 1))`
    ['date', { date: '1970-01-01T00:00:00.001Z' }, [1]],
    ['date', { date: { $not: 1 } }, [0, 2, 3, 4]],
    ['boolean', { boolean: { $gt: true } }, []],
    ['boolean', { boolean: { $gt: false } }, [true]],
    ['boolean', { boolean: { $gte: true } }, [true]],
    ['boolean', { boolean: { $lt: false } }, []],
    ['boolean', { boolean: { $lt: true } }, [false]],
    ['boolean', { boolean: { $lte: true } }, [false, true]],
    ['boolean', { boolean: true }, [true]],
    ['boolean', { boolean: { $not: true } }, [false]],
  ];
  for (const [type, where, expected] of cases) {
    const name = `${type} › where ${JSON.stringify(where)}`;
    it(name, async () => {
      expect(await etypeValues(fixture.app, type, where)).toEqual(new Set(expected));
    });
  }
});

describe(`${FILE} › in-with-types`, () => {
  let fixture: EtypeApp;
  beforeAll(async () => {
    fixture = await etypeApp(true, false);
  });
  afterAll(() => fixture?.app.close());

  const cases: [string, Record<string, unknown>, unknown[]][] = [
    ['string', { string: { $in: ['3', '4'] } }, ['3', '4']],
    ['string', { string: '2' }, ['2']],
    ['number', { number: { $in: [3, 4] } }, [3, 4]],
    ['number', { number: 2 }, [2]],
    ['date', { date: { $in: [3, 4] } }, [3, 4]],
    ['date', { date: 2 }, [2]],
    ['boolean', { boolean: { $in: [true, false] } }, [true, false]],
    ['boolean', { boolean: false }, [false]],
  ];
  for (const [type, where, expected] of cases) {
    it(`${type} › where ${JSON.stringify(where)}`, async () => {
      expect(await etypeValues(fixture.app, type, where)).toEqual(new Set(expected));
    });
  }
});

describe(`${FILE} › $not-with-refs`, () => {
  it('$not on a link with an unknown id keeps every user', async () => {
    const app = await checkedZeneca();
    const uid = '1b27ab60-d8b6-4327-93a2-5e9a296e9f02';
    const withNot = await app.mustQuery({
      users: { $: { where: { bookshelves: { $not: uid } }, order: { handle: 'desc' } } },
    });
    const all = await app.mustQuery({ users: { $: { order: { handle: 'desc' } } } });
    expect(withNot).toEqual(all);
    expect(all.users).toEqual(users('stopa', 'nicolegf', 'joe', 'alex'));
  });

  it('$not on a reverse link, anded, ordered and limited', async () => {
    const app = await checkedZeneca();
    const { bookshelves } = await app.mustQuery({
      bookshelves: {
        $: {
          where: {
            and: [
              { users: { $not: userId('stopa') } },
              { users: { $not: userId('nicolegf') } },
              { users: { $not: userId('joe') } },
            ],
          },
          order: { order: 'desc' },
          limit: 1,
        },
      },
    });
    expect(bookshelves).toEqual([shelf('Nonfiction')]);
  });
});

describe(`${FILE} › arbitrary-order-by-all-types`, () => {
  let fixture: EtypeApp;
  beforeAll(async () => {
    fixture = await etypeApp(true, false);
  });
  afterAll(() => fixture?.app.close());

  /** `run-query`: the rows' `field` values in the order returned. */
  const ordered = async (field: string, $: Record<string, unknown>): Promise<unknown[]> =>
    (await fixture.app.mustQuery({ etype: { $ } })).etype.map((row: Record<string, unknown>) => row[field]);
  /** `[eid-c, attr, value, 0]`: a cursor on row "c" (i = 2). */
  const cursorAtC = (type: 'string' | 'number' | 'date', value: unknown) => [
    fixture.ids.c,
    fixture.attrIds[type],
    value,
    0,
  ];

  it('string › asc', async () => {
    expect(await ordered('string', { order: { string: 'asc' } })).toEqual(['0', '1', '2', '3', '4']);
  });
  it('string › desc', async () => {
    expect(await ordered('string', { order: { string: 'desc' } })).toEqual(['4', '3', '2', '1', '0']);
  });
  it('string › where $gte, desc', async () => {
    expect(await ordered('string', { where: { string: { $gte: '2' } }, order: { string: 'desc' } })).toEqual([
      '4',
      '3',
      '2',
    ]);
  });
  it('string › after a cursor', async () => {
    expect(await ordered('string', { order: { string: 'asc' }, after: cursorAtC('string', '2') })).toEqual(['3', '4']);
  });

  it('number › asc', async () => {
    expect(await ordered('number', { order: { number: 'asc' } })).toEqual([0, 1, 2, 3, 4]);
  });
  it('number › desc', async () => {
    expect(await ordered('number', { order: { number: 'desc' } })).toEqual([4, 3, 2, 1, 0]);
  });
  it('number › where $gte, desc', async () => {
    expect(await ordered('number', { where: { number: { $gte: 2 } }, order: { number: 'desc' } })).toEqual([4, 3, 2]);
  });
  it('number › after a cursor', async () => {
    expect(await ordered('number', { order: { number: 'asc' }, after: cursorAtC('number', 2) })).toEqual([3, 4]);
  });

  it('date › asc', async () => {
    expect(await ordered('date', { order: { date: 'asc' } })).toEqual([0, 1, 2, 3, 4]);
  });
  it('date › desc', async () => {
    expect(await ordered('date', { order: { date: 'desc' } })).toEqual([4, 3, 2, 1, 0]);
  });
  it('date › where $gte, desc', async () => {
    expect(await ordered('date', { where: { date: { $gte: 2 } }, order: { date: 'desc' } })).toEqual([4, 3, 2]);
  });
  it('date › after a cursor', async () => {
    expect(await ordered('date', { order: { date: 'asc' }, after: cursorAtC('date', 2) })).toEqual([3, 4]);
  });

  it('boolean › asc', async () => {
    expect(await ordered('boolean', { order: { boolean: 'asc' } })).toEqual([false, false, true, true, true]);
  });
  it('boolean › desc', async () => {
    expect(await ordered('boolean', { order: { boolean: 'desc' } })).toEqual([true, true, true, false, false]);
  });
  it('boolean › where $gte, desc', async () => {
    expect(await ordered('boolean', { where: { boolean: { $gte: true } }, order: { boolean: 'desc' } })).toEqual([
      true,
      true,
      true,
    ]);
  });
});

/** The `order` values of the first user's bookshelves. */
const shelfOrders = (rows: { bookshelves: { order: number }[] }[]): number[][] =>
  rows.map((row) => row.bookshelves.map((s) => s.order));

describe(`${FILE} › nested-order-by`, () => {
  it('nested bookshelves ordered by order asc', async () => {
    const app = await checkedZeneca();
    const { users: rows } = await app.mustQuery({
      users: { $: { where: { handle: 'stopa' } }, bookshelves: { $: { order: { order: 'asc' } } } },
    });
    expect(shelfOrders(rows)[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('nested bookshelves ordered by order desc', async () => {
    const app = await checkedZeneca();
    const { users: rows } = await app.mustQuery({
      users: { $: { where: { handle: 'stopa' } }, bookshelves: { $: { order: { order: 'desc' } } } },
    });
    expect(shelfOrders(rows)[0]).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });
});

describe(`${FILE} › order-by-with-ors-and-ands`, () => {
  it('top level or, ordered by handle desc; nested ordered by order asc', async () => {
    const app = await checkedZeneca();
    const { users: rows } = await app.mustQuery({
      users: {
        $: { where: { or: [{ handle: 'alex' }, { handle: 'nicolegf' }] }, order: { handle: 'desc' } },
        bookshelves: { $: { order: { order: 'asc' } } },
      },
    });
    expect(shelfOrders(rows)).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      [0, 1],
    ]);
  });

  it('top level and (through a link); nested ordered by order desc', async () => {
    const app = await checkedZeneca();
    const { users: rows } = await app.mustQuery({
      users: {
        $: { where: { and: [{ handle: 'stopa' }, { 'bookshelves.order': 0 }, { email: 'stopa@instantdb.com' }] } },
        bookshelves: { $: { order: { order: 'desc' } } },
      },
    });
    expect(shelfOrders(rows)[0]).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });
});

describe(`${FILE} › child-forms`, () => {
  it('no child where', async () => {
    const app = await zeneca();
    const { users: rows } = await app.mustQuery({ users: { $: { where: { handle: 'alex' } }, bookshelves: {} } });
    expect(rows).toHaveLength(1);
    const { bookshelves, ...alex } = rows[0];
    expect(alex).toEqual(user('alex'));
    expect(byId(bookshelves)).toEqual(byId([shelf('Short Stories'), shelf('Nonfiction')]));
  });

  it('reverse lookup', async () => {
    const app = await zeneca();
    const { bookshelves } = await app.mustQuery({ bookshelves: { $: { where: { name: 'Nonfiction' } }, users: {} } });
    expect(bookshelves).toEqual([{ ...shelf('Nonfiction'), users: [user('alex')] }]);
  });

  it('inner where clause', async () => {
    const app = await zeneca();
    const { users: rows } = await app.mustQuery({
      users: { $: { where: { handle: 'alex' } }, bookshelves: { $: { where: { name: 'Nonfiction' } } } },
    });
    expect(rows).toEqual([{ ...user('alex'), bookshelves: [shelf('Nonfiction')] }]);
  });

  it('inner where clause with ors', async () => {
    const app = await zeneca();
    const { users: rows } = await app.mustQuery({
      users: {
        $: { where: { handle: 'alex' } },
        bookshelves: { $: { where: { or: [{ name: 'Nonfiction' }, { name: 'Fiction' }] } } },
      },
    });
    expect(rows).toEqual([{ ...user('alex'), bookshelves: [shelf('Nonfiction')] }]);
  });

  it('inner where clause with ands', async () => {
    const app = await zeneca();
    const { users: rows } = await app.mustQuery({
      users: {
        $: { where: { handle: 'alex' } },
        bookshelves: { $: { where: { and: [{ name: 'Nonfiction' }, { order: 1 }] } } },
      },
    });
    expect(rows).toEqual([{ ...user('alex'), bookshelves: [shelf('Nonfiction')] }]);
  });
});

describe(`${FILE} › missing-attrs`, () => {
  it('missing top-level etype returns empty triples', async () => {
    const app = await zeneca();
    expect(await app.mustQuery({ zippy: {} })).toEqual({ zippy: [] });
  });

  it('missing attr in a where returns empty triples', async () => {
    const app = await zeneca();
    expect(await app.mustQuery({ users: { $: { where: { 'bookshelves.zippy': 'alex' } } } })).toEqual({ users: [] });
  });

  // Each user's `zippy` node has no rows; `instaql-ref-nodes->object-tree` renders it as `[]`.
  it("missing ref attr doesn't parent query", async () => {
    const app = await zeneca();
    const { users: rows } = await app.mustQuery({ users: { zippy: {} } });
    expect(byId(rows)).toEqual(byId(handles.map((handle) => ({ ...user(handle), zippy: [] }))));
  });
});

describe(`${FILE} › same-ids`, () => {
  let app: App;
  const sharedId = uuid();
  beforeAll(async () => {
    app = await startApp();
    await loadInstantZeneca(app, false);
    await app.mustTransact([
      ['update', 'users', sharedId, { handle: 'handle' }],
      ['update', 'books', sharedId, { title: 'title' }],
    ]);
  });
  afterAll(() => app?.close());

  // The users row also has Instant's null triple for the indexed `users.email` it lacks.
  it('the users entity of a shared id', async () => {
    expect(await app.mustQuery({ users: { $: { where: { id: sharedId } } } })).toEqual({
      users: [{ id: sharedId, handle: 'handle', email: null }],
    });
  });

  it('the books entity of the same id', async () => {
    expect(await app.mustQuery({ books: { $: { where: { id: sharedId } } } })).toEqual({
      books: [{ id: sharedId, title: 'title' }],
    });
  });
});

describe(`${FILE} › eid-relations`, () => {
  it('forward works on link name', async () => {
    const app = await zeneca();
    expect(await app.mustQuery({ users: { $: { where: { bookshelves: shelfId('Worldview') } } } })).toEqual({
      users: [user('stopa')],
    });
  });

  it('reverse works on link name', async () => {
    const app = await zeneca();
    const { bookshelves } = await app.mustQuery({ bookshelves: { $: { where: { users: userId('alex') } } } });
    expect(byId(bookshelves)).toEqual(byId([shelf('Short Stories'), shelf('Nonfiction')]));
  });
});

/** indexing? / uniqueing?: `users.id` and a plain `users.handle`, one user "dww". */
async function dwwApp(): Promise<{ app: App; eid: string }> {
  const app = await startApp();
  const eid = uuid();
  await app.mustTransact([blobAttr('users', 'id', { 'unique?': true, 'index?': true }), blobAttr('users', 'handle')]);
  await app.mustTransact([['update', 'users', eid, { handle: 'dww' }]]);
  return { app, eid };
}

describe(`${FILE} › indexing?`, () => {
  // The rest of the deftest flips attr flags with raw SQL (see the file header).
  it('queries ignore indexes while still indexing › the plain query', async () => {
    const { app, eid } = await dwwApp();
    try {
      expect(await app.mustQuery({ users: { $: { where: { handle: 'dww' } } } })).toEqual({
        users: [{ id: eid, handle: 'dww' }],
      });
    } finally {
      await app.close();
    }
  });
});

describe(`${FILE} › uniqueing?`, () => {
  // The rest of the deftest flips attr flags with raw SQL (see the file header).
  it('queries ignore unique? while still uniqueing? › the plain query', async () => {
    const { app, eid } = await dwwApp();
    try {
      expect(await app.mustQuery({ users: { $: { where: { handle: 'dww' } } } })).toEqual({
        users: [{ id: eid, handle: 'dww' }],
      });
    } finally {
      await app.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Permissions

const variants: [boolean, string][] = [
  [false, 'without checked attrs'],
  [true, 'with checked attrs'],
];

/** The handles of `{users: {}}` as `as` (a guest unless given), in an app with `rules`. */
async function visibleHandles(
  rules: Record<string, unknown>,
  checked: boolean,
  as: Caller = { guest: true },
): Promise<Set<unknown>> {
  return withApp({ rules }, async (app) => {
    await loadInstantZeneca(app, checked, ['users']);
    const { users: rows } = await app.mustQuery({ users: {} }, as);
    return new Set(rows.map((row: { handle: string }) => row.handle));
  });
}

describe(`${FILE} › default-perms`, () => {
  const all = ['alex', 'joe', 'stopa', 'nicolegf'];
  const table: [Record<string, unknown>, string[]][] = [
    [{ users: { allow: { $default: 'false' } } }, []],
    [{ $default: { allow: { view: 'false' } } }, []],
    [{ $default: { allow: { $default: 'false' } } }, []],
    [{ users: { allow: { $default: 'false', view: 'true' } } }, all],
    [{ $default: { allow: { view: 'false' } }, users: { allow: { view: 'true' } } }, all],
    [{ $default: { allow: { $default: 'false' } }, users: { allow: { view: 'true' } } }, all],
    [{ $default: { allow: { $default: 'false' } }, users: { allow: { $default: 'true' } } }, all],
    [{ $default: { allow: { view: 'false' } }, users: { allow: { $default: 'true' } } }, all],
    [{ $default: { allow: { $default: 'false', view: 'true' } } }, all],
  ];
  for (const [checked, description] of variants) {
    for (const [rules, expected] of table) {
      it(`${description} › ${JSON.stringify(rules)}`, async () => {
        expect(await visibleHandles(rules, checked)).toEqual(new Set(expected));
      });
    }
  }
});

describe(`${FILE} › read-rule-params`, () => {
  it('ruleParams in the query feed the view rule', async () => {
    await withApp({ rules: { users: { allow: { view: 'data.handle == ruleParams.handle' } } } }, async (app) => {
      await loadInstantZeneca(app, false, ['users']);
      const { users: rows } = await app.mustQuery({ users: {}, $$ruleParams: { handle: 'stopa' } }, { guest: true });
      expect(new Set(rows.map((row: { handle: string }) => row.handle))).toEqual(new Set(['stopa']));
    });
  });
});

/**
 * Instant's `:current-user {:handle "stopa"}`: a `$users` row (zeneca's stopa, as the fixture creates it)
 * with a custom `handle` attribute, which `auth` then carries.
 */
async function signInAsStopa(app: App): Promise<Caller> {
  await appUser(app, emailOf('stopa'), userId('stopa'));
  await app.mustTransact([blobAttr('$users', 'handle')]);
  await app.mustTransact([['update', '$users', userId('stopa'), { handle: 'stopa' }]]);
  return { email: emailOf('stopa') };
}

describe(`${FILE} › read-perms`, () => {
  for (const [checked, description] of variants) {
    it(`${description} › no perms returns full`, async () => {
      expect(await visibleHandles({}, checked)).toEqual(new Set(['alex', 'joe', 'stopa', 'nicolegf']));
    });

    it(`${description} › false returns nothing`, async () => {
      expect(await visibleHandles({ users: { allow: { view: 'false' } } }, checked)).toEqual(new Set());
    });

    it(`${description} › property equality`, async () => {
      expect(await visibleHandles({ users: { allow: { view: "data.handle == 'stopa'" } } }, checked)).toEqual(
        new Set(['stopa']),
      );
    });

    it(`${description} › bind`, async () => {
      const rules = { users: { allow: { view: 'data.handle != handle' }, bind: ['handle', "'stopa'"] } };
      expect(await visibleHandles(rules, checked)).toEqual(new Set(['alex', 'joe', 'nicolegf']));
    });

    it(`${description} › ref`, async () => {
      const rules = {
        bookshelves: { allow: { view: "handle in data.ref('users.handle')" }, bind: ['handle', "'alex'"] },
      };
      await withApp({ rules }, async (app) => {
        await loadInstantZeneca(app, checked, ['users', 'bookshelves']);
        const { bookshelves } = await app.mustQuery({ bookshelves: {} }, { guest: true });
        expect(new Set(bookshelves.map((row: { name: string }) => row.name))).toEqual(
          new Set(['Short Stories', 'Nonfiction']),
        );
      });
    });

    it(`${description} › auth required`, async () => {
      expect(await visibleHandles({ users: { allow: { view: 'auth.id != null' } } }, checked)).toEqual(new Set());
    });

    it(`${description} › null shouldn't evaluate to true`, async () => {
      expect(await visibleHandles({ users: { allow: { view: 'auth.isAdmin' } } }, checked)).toEqual(new Set());
    });

    it(`${description} › can only view authed user data`, async () => {
      await withApp({ rules: { users: { allow: { view: 'auth.handle == data.handle' } } } }, async (app) => {
        await loadInstantZeneca(app, checked, ['users']);
        const stopa = await signInAsStopa(app);
        const { users: rows } = await app.mustQuery({ users: {} }, stopa);
        expect(new Set(rows.map((row: { handle: string }) => row.handle))).toEqual(new Set(['stopa']));
      });
    });

    // Instant's test checks only the type; the status is `wrap-errors`' 400 for this type.
    it(`${description} › bad rules produce a permission evaluation exception`, async () => {
      await withApp({ rules: { users: { allow: { view: 'auth.handle in data.nonexistent' } } } }, async (app) => {
        await loadInstantZeneca(app, checked, ['users']);
        const stopa = await signInAsStopa(app);
        const answer = await app.query({ users: {} }, stopa);
        expect(answer.status, answer.text).toBe(400);
        expect(answer.body.type).toBe('permission-evaluation-failed');
      });
    });
  }
});

describe(`${FILE} › aggregates`, () => {
  // The aggregate query has no join rows (`:triples ()`); the admin route renders only the object tree.
  it('simple query', async () => {
    const app = await zeneca();
    expect(await app.mustQuery({ users: { $: { aggregate: 'count' } } })).toEqual({ users: [] });
  });

  it('multiple', async () => {
    const app = await zeneca();
    expect(await app.mustQuery({ users: { $: { aggregate: 'count' } }, books: { $: { aggregate: 'count' } } })).toEqual(
      { users: [], books: [] },
    );
  });
});

describe(`${FILE} › namespaces-that-share-eids`, () => {
  let app: App;
  const shared = uuid();
  beforeAll(async () => {
    app = await startApp({ rules: { books: { allow: { view: 'false' } }, authors: { allow: { view: 'true' } } } });
    await app.mustTransact([
      blobAttr('books', 'id', { 'unique?': true, 'index?': true }),
      blobAttr('books', 'field'),
      blobAttr('authors', 'id', { 'unique?': true, 'index?': true }),
      blobAttr('authors', 'field'),
    ]);
    await app.mustTransact([
      ['update', 'books', shared, { field: 'book' }],
      ['update', 'authors', shared, { field: 'author' }],
    ]);
  });
  afterAll(() => app?.close());

  it('admin sees both', async () => {
    expect(await app.mustQuery({ books: {}, authors: {} })).toEqual({
      books: [{ field: 'book', id: shared }],
      authors: [{ field: 'author', id: shared }],
    });
  });

  it('non-admin: the books rule does not hide the authors entity', async () => {
    expect(await app.mustQuery({ books: {}, authors: {} }, { guest: true })).toEqual({
      books: [],
      authors: [{ field: 'author', id: shared }],
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Users table

describe(`${FILE} › users-table-queries`, () => {
  let app: App;
  let first: { id: string };
  let second: { id: string };
  beforeAll(async () => {
    app = await startApp();
    first = await appUser(app, 'first@example.com', uuid());
    second = await appUser(app, 'second@example.com', uuid());
  });
  afterAll(() => app?.close());

  it('all $users', async () => {
    const { $users } = await app.mustQuery({ $users: {} });
    expect(byId($users)).toEqual(
      byId([
        { id: first.id, email: 'first@example.com' },
        { id: second.id, email: 'second@example.com' },
      ]),
    );
  });

  it('$users by email', async () => {
    expect(await app.mustQuery({ $users: { $: { where: { email: 'first@example.com' } } } })).toEqual({
      $users: [{ id: first.id, email: 'first@example.com' }],
    });
  });
});

describe(`${FILE} › users-table-read-permissions`, () => {
  let app: App;
  let first: { id: string; token: string };
  beforeAll(async () => {
    app = await startApp();
    first = await appUser(app, 'first@example.com', uuid());
    await appUser(app, 'second@example.com', uuid());
  });
  afterAll(() => app?.close());

  it('default rules let you see no users without auth', async () => {
    expect(await app.mustQuery({ $users: {} }, { guest: true })).toEqual({ $users: [] });
  });

  it('default rules let you view yourself', async () => {
    expect(await app.mustQuery({ $users: {} }, { token: first.token })).toEqual({
      $users: [{ email: 'first@example.com', id: first.id }],
    });
  });
});

/**
 * users-table-references and friends: zeneca with its `$users` rows, plus `books.$user-creator` →
 * `$users.books` (has-one, not unique) linking "Sum" to alex.
 */
async function userCreatorApp(rules?: Record<string, unknown>) {
  const app = await startApp(rules ? { rules } : {});
  await loadInstantZeneca(app, false);
  const appUsers = await addZenecaAppUsers(app);
  await app.mustTransact([refAttr('books', '$user-creator', '$users', 'books')]);
  await app.mustTransact([['link', 'books', bookId('Sum'), { '$user-creator': userId('alex') }]]);
  return { app, appUsers };
}

const sharedUserCreatorApp = lazyApp(async () => (await userCreatorApp()).app);

describe(`${FILE} › users-table-references`, () => {
  it('forward reference', async () => {
    const app = await sharedUserCreatorApp();
    expect(await app.mustQuery({ books: { $: { where: { '$user-creator.email': 'alex@instantdb.com' } } } })).toEqual({
      books: [{ ...book('Sum'), '$user-creator': userId('alex') }],
    });
  });

  it('reverse reference', async () => {
    const app = await sharedUserCreatorApp();
    expect(await app.mustQuery({ $users: { $: { where: { 'books.title': 'Sum' } } } })).toEqual({
      $users: [{ id: userId('alex'), email: 'alex@instantdb.com' }],
    });
  });
});

// Instant's "eid-mark" names no zeneca entity, so `->uuid` gives nil and that caller is `{:id nil}`:
// `auth.id` is null, as for a guest.
const mark: Caller = { guest: true };
const alex: Caller = { email: 'alex@instantdb.com' };

describe(`${FILE} › users-table-perms-with-references`, () => {
  // A where clause through `$users` needs the `$users` row to be viewable: Instant checks every triple
  // of a join row (`viewable-join-row?`), and `$users.view` defaults to `auth.id == data.id`.
  it('forward reference › not the creator', async () => {
    const app = await sharedUserCreatorApp();
    const { books } = await app.mustQuery(
      { books: { $: { where: { '$user-creator.email': 'alex@instantdb.com' } } } },
      mark,
    );
    expect(books).toEqual([]);
  });

  it('forward reference › the creator', async () => {
    const app = await sharedUserCreatorApp();
    const { books } = await app.mustQuery(
      { books: { $: { where: { '$user-creator.email': 'alex@instantdb.com' } } } },
      alex,
    );
    expect(books.map((row: { title: string }) => row.title)).toEqual(['Sum']);
  });

  it('reverse reference › not the creator', async () => {
    const app = await sharedUserCreatorApp();
    const { $users } = await app.mustQuery({ $users: { $: { where: { 'books.title': 'Sum' } } } }, mark);
    expect($users).toEqual([]);
  });

  it('reverse reference › the creator', async () => {
    const app = await sharedUserCreatorApp();
    const { $users } = await app.mustQuery({ $users: { $: { where: { 'books.title': 'Sum' } } } }, alex);
    expect($users.map((row: { email: string }) => row.email)).toEqual(['alex@instantdb.com']);
  });
});

describe(`${FILE} › auth-ref-perms`, () => {
  let app: App;
  beforeAll(async () => {
    ({ app } = await userCreatorApp({ books: { allow: { view: "'Sum' in auth.ref('$user.books.title')" } } }));
  });
  afterAll(() => app?.close());

  it('the creator sees the book through auth.ref', async () => {
    const { books } = await app.mustQuery(
      { books: { $: { where: { '$user-creator.email': 'alex@instantdb.com' } } } },
      alex,
    );
    expect(books.map((row: { title: string }) => row.title)).toEqual(['Sum']);
  });

  it('a user without the book sees no books', async () => {
    expect(await app.mustQuery({ books: {} }, mark)).toEqual({ books: [] });
  });
});

describe(`${FILE} › ordering-with-where-and-limit`, () => {
  let app: App;
  const groupId = uuid();
  beforeAll(async () => {
    app = await startApp();
    await app.mustTransact([
      blobAttr('groups', 'id', { 'unique?': true, 'index?': true }),
      blobAttr('conversations', 'id', { 'unique?': true, 'index?': true }),
      blobAttr('conversations', 'order', { 'unique?': true, 'index?': true, 'checked-data-type': 'number' }),
      refAttr('conversations', 'groups', 'groups', 'conversations'),
      blobAttr('messages', 'id', { 'unique?': true, 'index?': true }),
      blobAttr('messages', 'time', { 'index?': true, 'checked-data-type': 'number' }),
      refAttr('messages', 'conversation', 'conversations', 'messages'),
    ]);
    // 1 group (never given an `id` triple, as in Instant's test), 3 conversations, 20 messages each.
    for (let convoIdx = 0; convoIdx < 3; convoIdx++) {
      const convoId = uuid();
      const steps: unknown[] = [
        ['update', 'conversations', convoId, { order: convoIdx + 1 }],
        ['link', 'conversations', convoId, { groups: groupId }],
      ];
      for (let msgIdx = 0; msgIdx < 20; msgIdx++) {
        const msgId = uuid();
        steps.push(['update', 'messages', msgId, { time: convoIdx + msgIdx }]);
        steps.push(['link', 'messages', msgId, { conversation: convoId }]);
      }
      await app.mustTransact(steps);
    }
  });
  afterAll(() => app?.close());

  const count = async ($: Record<string, unknown>): Promise<number> =>
    (await app.mustQuery({ conversations: { $ } })).conversations.length;

  it('where through a link', async () => {
    expect(await count({ where: { 'messages.time': { $gte: 0 } } })).toBe(3);
  });

  it('where through a link, limit 2', async () => {
    expect(await count({ limit: 2, where: { 'messages.time': { $gte: 0 } } })).toBe(2);
  });

  it('where on a link id and through a link, limit 2', async () => {
    expect(await count({ limit: 2, where: { groups: groupId, 'messages.time': { $gte: 0 } } })).toBe(2);
  });

  it('arbitrary ordering', async () => {
    expect(
      await count({ limit: 2, order: { order: 'desc' }, where: { groups: groupId, 'messages.time': { $gte: 0 } } }),
    ).toBe(2);
  });
});

describe(`${FILE} › fields`, () => {
  it('rules work even when you filter fields', async () => {
    const app = await zeneca();
    expect(
      await app.mustQuery({
        users: {
          $: { fields: ['fullName'], where: { handle: 'alex' } },
          bookshelves: {
            $: { fields: ['order'], where: { name: 'Nonfiction' } },
            books: { $: { fields: ['title'], where: { title: 'Catch and Kill' } } },
          },
        },
      }),
    ).toEqual({
      users: [
        {
          id: userId('alex'),
          fullName: 'Alex',
          bookshelves: [
            { id: shelfId('Nonfiction'), order: 1, books: [{ id: bookId('Catch and Kill'), title: 'Catch and Kill' }] },
          ],
        },
      ],
    });
  });
});

/** fields-with-rules and rule-wheres: zeneca with view rules that leave alex, Nonfiction and one book. */
const rulesZeneca = lazyApp(async () => {
  const app = await startApp({
    rules: {
      users: { allow: { view: "data.handle == 'alex'" } },
      bookshelves: { allow: { view: "data.name == 'Nonfiction'" } },
      books: { allow: { view: "data.isbn13 == '9780316486668'" } },
    },
  });
  await loadInstantZeneca(app, false);
  return app;
});

const alexNonfictionCatchAndKill = () => ({
  users: [
    {
      id: userId('alex'),
      fullName: 'Alex',
      bookshelves: [
        { id: shelfId('Nonfiction'), order: 1, books: [{ id: bookId('Catch and Kill'), title: 'Catch and Kill' }] },
      ],
    },
  ],
});

describe(`${FILE} › fields-with-rules`, () => {
  it('rules work even when you filter fields', async () => {
    const app = await rulesZeneca();
    expect(
      await app.mustQuery(
        {
          users: {
            $: { fields: ['fullName'] },
            bookshelves: { $: { fields: ['order'] }, books: { $: { fields: ['title'] } } },
          },
        },
        { guest: true },
      ),
    ).toEqual(alexNonfictionCatchAndKill());
  });
});

// `use-rule-wheres?` (view rules turned into where clauses) is a server-side strategy meant to give the
// same result as filtering; over HTTP only that result shows.
describe(`${FILE} › rule-wheres`, () => {
  it('rules work even when you filter fields', async () => {
    const app = await rulesZeneca();
    expect(
      await app.mustQuery(
        {
          users: {
            $: {
              fields: ['fullName'],
              where: {
                or: [
                  { 'bookshelves.books.title': 'Catch and Kill' },
                  { 'bookshelves.books.title': 'The Count of Monte Cristo' },
                ],
              },
            },
            bookshelves: {
              $: { fields: ['order'], where: { 'books.title': 'Catch and Kill' } },
              books: { $: { fields: ['title'] } },
            },
          },
        },
        { guest: true },
      ),
    ).toEqual(alexNonfictionCatchAndKill());
  });
});

describe(`${FILE} › indexed-ors-collapse-isNull-true`, () => {
  let fixture: EtypeApp;
  beforeAll(async () => {
    fixture = await etypeApp(false, true);
  });
  afterAll(() => fixture?.app.close());

  // The "nil" row has no values; the indexed typed attrs read as nil for it.
  const cases: [string, Record<string, unknown>, unknown[]][] = [
    ['string', { string: { $in: ['3', '4', null] } }, ['3', '4', null]],
    ['string', { or: [{ string: '3' }, { string: '4' }, { string: { $isNull: true } }] }, ['3', '4', null]],
    ['string', { string: '2' }, ['2']],
    ['number', { number: { $in: [3, 4, null] } }, [3, 4, null]],
    ['number', { or: [{ number: 3 }, { number: 4 }, { number: { $isNull: true } }] }, [3, 4, null]],
    ['number', { number: 2 }, [2]],
    ['date', { date: { $in: [3, 4, null] } }, [3, 4, null]],
    ['date', { or: [{ date: 3 }, { date: 4 }, { date: { $isNull: true } }] }, [3, 4, null]],
    ['date', { date: 2 }, [2]],
    ['boolean', { boolean: { $in: [true, false, null] } }, [true, false, null]],
    ['boolean', { or: [{ boolean: true }, { boolean: { $isNull: true } }] }, [true, null]],
    ['boolean', { boolean: false }, [false]],
  ];
  for (const [type, where, expected] of cases) {
    it(`you can use nil in an $in with an indexed › ${type} › where ${JSON.stringify(where)}`, async () => {
      expect(await etypeValues(fixture.app, type, where)).toEqual(new Set(expected));
    });
  }

  // `attr_pat.clj` `->value-attr-pat`: `in` ends with the `$in` set (order-free in Instant's test), and
  // `throw-validation-err!` makes `message` "Validation failed for query: <the error's message>".
  it("you can't use nil in an in with non-indexed fields", async () => {
    const query = { etype: { $: { where: { label: { $in: ['a', null] } } } } };
    const answer: Answer = await fixture.app.query(query);
    const message = 'Only indexed attrs can check for `nil` in `$in`. etype.label is not indexed.';
    expect(answer.status, answer.text).toBe(400);
    expect(answer.body.type).toBe('validation-failed');
    expect(answer.body.message).toBe(`Validation failed for query: ${message}`);
    expect(answer.body.hint['data-type']).toBe('query');
    expect(answer.body.hint.input).toEqual(query);
    const [error] = answer.body.hint.errors;
    expect(Object.keys(error).sort()).toEqual(['expected?', 'in', 'message']);
    expect(error['expected?']).toBe('indexed?');
    expect(error.message).toBe(message);
    expect(error.in.slice(0, 4)).toEqual(['etype', '$', 'where', '$in']);
    expect(new Set(error.in[4])).toEqual(new Set(['a', null]));
    expect(error.in).toHaveLength(5);
  });
});

describe(`${FILE} › field-rules-can-filter-columns`, () => {
  it('field rules hide the values whose rule fails', async () => {
    const rules = {
      users: {
        allow: { view: 'true' },
        fields: { email: "data.handle == 'joe'", handle: "data.handle == 'alex'" },
      },
    };
    await withApp({ rules }, async (app) => {
      await loadInstantZeneca(app, false, ['users']);
      const { users: rows } = await app.mustQuery({ users: {} }, { guest: true });
      expect(rows).toHaveLength(4);
      expect(keptSet(rows, 'email')).toEqual(new Set(['joe@instantdb.com']));
      expect(keptSet(rows, 'handle')).toEqual(new Set(['alex']));
    });
  });
});
