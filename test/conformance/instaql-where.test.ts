/**
 * Instant's `server/test/instant/db/instaql_test.clj` (lines 1–3000: validations, pagination, where
 * clauses), ported as HTTP-level cases against the local server (see ./harness.ts for the conventions).
 *
 * Instant's tests run `iq/query` on a zeneca app and compare internal topics and triples; here each
 * query is sent to `POST /admin/query` and the case asserts the entities the triples describe (which
 * rows, in which order when the query orders them, with which attribute values). Validation cases call
 * `iq/query` and read `(-> ex-data ::ex/hint :errors first)`; over HTTP that exception is rendered by
 * `instant.util.http/wrap-errors` as `400 {type, message, hint}` with nothing added by the admin route
 * (`admin/routes.clj` `query-post` calls `iq/permissioned-query` directly), and
 * `ex/throw-validation-err!` builds `message` = "Validation failed for <data-type>[: <messages joined by
 * ", ">]" and `hint` = `{data-type, input, errors}` (`util/exception.clj`). Query keys arrive keywordized,
 * so error paths (`in`) and symbols (`expected`) come out as JSON strings.
 *
 * Skipped (cannot be expressed over the Admin HTTP API):
 * - topics / triples comparisons: internal datalog results; the HTTP response carries only the object tree.
 * - pagination › cursors on `serverCreatedAt` ("after", "afterInclusive", "before", "beforeInclusive",
 *   "last", and the `alex-cursor`/`nicole-cursor` lists): such a cursor carries the id triple's
 *   `created_at`, which only the `page-info` of an internal query result exposes; `/admin/query` returns
 *   no pageInfo and no creation times.
 * - pagination, pagination-with-checked-fields › "has-next-page? and has-previous-page?": page-info is
 *   not part of the `/admin/query` response.
 * - flat-where-byop: runs `iq/query-byop` against a bring-your-own Postgres schema, which the Admin HTTP
 *   API has no notion of.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { type Answer, type App, type Caller, startApp, uuid, zenecaAttrId, describe, it } from './harness.ts';
import { loadInstantZeneca, zenecaEntity, userId, user, users, shelfId, bookId, byId } from './zeneca-fixture.ts';

const FILE = 'instaql_test.clj';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------
// Fixtures

/** Asserts a 400 `validation-failed` answer with Instant's message and first hint error. */
function expectValidation(
  answer: Answer,
  expected: { message: string; error: Record<string, unknown>; dataType?: string; input?: unknown },
): void {
  expect(answer.status, answer.text).toBe(400);
  expect(answer.body.type).toBe('validation-failed');
  expect(answer.body.message).toBe(expected.message);
  expect(answer.body.hint['data-type']).toBe(expected.dataType ?? 'query');
  if (expected.input !== undefined) expect(answer.body.hint.input).toEqual(expected.input);
  expect(answer.body.hint.errors[0]).toEqual(expected.error);
}

/** A query-level validation error: data-type `query`, `input` the query as sent. */
async function expectQueryError(
  app: App,
  query: Record<string, unknown>,
  error: Record<string, unknown>,
  as?: Caller,
): Promise<void> {
  const answer = await app.query(query, as);
  const message =
    typeof error.message === 'string' ? `Validation failed for query: ${error.message}` : 'Validation failed for query';
  expectValidation(answer, { message, error, input: query });
}

/** A spec failure on the coerced forms (`->forms!`): data-type `coerced-query`, no message. */
async function expectCoercedError(
  app: App,
  query: Record<string, unknown>,
  error: Record<string, unknown>,
): Promise<void> {
  expectValidation(await app.query(query), {
    message: 'Validation failed for coerced-query',
    dataType: 'coerced-query',
    error,
  });
}

// ---------------------------------------------------------------------------------------------------
// Shared zeneca apps (read-only)

let zeneca: App; // with-zeneca-app
let checked: App; // with-zeneca-checked-data-app

beforeAll(async () => {
  [zeneca, checked] = await Promise.all([startApp(), startApp()]);
  await loadInstantZeneca(zeneca, false);
  await loadInstantZeneca(checked, true);
}, 60_000);

afterAll(async () => {
  await Promise.all([zeneca?.close(), checked?.close()]);
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › validations`, () => {
  // Instant's test calls `iq/query` with the number 1 and gets `{expected map?, in []}`. Over HTTP the
  // admin route's `(ex/get-param! req [:body :query] #(when (map? %) %))` rejects a non-map first
  // (`admin/routes.clj` `query-post`, `util/exception.clj` `get-param!`/`throw-malformed-param!`).
  it('not maps: a query that is not an object', async () => {
    const answer = await zeneca.query(1);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      type: 'param-malformed',
      message: 'Malformed parameter: ["body" "query"]',
      hint: { in: ['body', 'query'], 'original-input': 1 },
    });
  });

  it('not maps: a child form that is not an object', async () => {
    await expectQueryError(zeneca, { users: { posts: 2 } }, { expected: 'map?', in: ['users', 'posts'] });
  });

  it('bad where clauses: where is not a map', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { where: ['foo'] } } },
      { expected: 'map?', in: ['users', '$', 'where'] },
    );
  });

  it('bad where clauses: unknown option', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { 'forgot-where': ['foo'] } } },
      {
        expected: 'supported-options?',
        in: ['users', '$'],
        message: 'We only support `where`, `order`, `limit`, `offset`, `before`, and `after` clauses.',
      },
    );
  });

  it('bad where clauses: `in` that is not a list', async () => {
    await expectCoercedError(
      zeneca,
      { users: { $: { where: { handle: { in: {} } } } } },
      {
        expected: 'vector?',
        in: [0, 'option-map', 'where-conds', 0, 1, 'in'],
      },
    );
  });

  it('bad where clauses: unknown operator', async () => {
    await expectCoercedError(
      zeneca,
      { users: { $: { where: { handle: { is: 'stopa' } } } } },
      {
        expected: 'instant.db.instaql/where-value-valid-keys?',
        in: [0, 'option-map', 'where-conds', 0, 1],
      },
    );
  });

  it('bad where clauses: a link compared with a non-uuid', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { where: { bookshelves: 'hello' } } } },
      {
        expected: 'uuid?',
        in: ['users', '$', 'where', 'bookshelves'],
        message: 'Expected bookshelves to be a uuid, got "hello"',
      },
    );
  });

  it('bad where clauses: a link `in` list with a non-uuid', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { where: { bookshelves: { in: ['00000000-0000-0000-0000-000000000000', 'hello'] } } } } },
      {
        expected: 'uuid?',
        in: ['users', '$', 'where', 'bookshelves'],
        // The list is conformed into a set (`::$in ... :into #{}`), printed in the set's order.
        message:
          'Expected bookshelves to match on a uuid, found "hello" in ["hello","00000000-0000-0000-0000-000000000000"]',
      },
    );
  });

  it('bad where clauses: $isNull that is not a boolean', async () => {
    await expectCoercedError(
      zeneca,
      { users: { $: { where: { handle: { $isNull: 'a' } } } } },
      {
        in: [0, 'option-map', 'where-conds', 0, 1, '$isNull'],
        expected: 'boolean?',
      },
    );
  });

  it('pagination: negative limit', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { limit: -1 } } },
      {
        expected: 'supported-options?',
        in: ['users', '$', 'limit'],
        message: 'The limit field must be a positive integer. Got -1.',
      },
    );
  });

  it('pagination: a cursor that is not a join row', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { before: 10 } } },
      {
        expected: 'join-row?',
        in: ['users', '$', 'before'],
        message: 'Expected a join row for the cursor, got 10.',
      },
    );
  });

  it('pagination: order by a missing attribute', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { order: { 'random-field': 'desc' } } } },
      {
        expected: 'supported-order?',
        in: ['users', '$', 'order'],
        message: 'There is no `random-field` attribute for users.',
      },
    );
  });

  it('pagination: order direction in capitals', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { order: { serverCreatedAt: 'DESC' } } } },
      {
        expected: 'valid-direction?',
        in: ['users', '$', 'order', 'serverCreatedAt'],
        message: 'We only support "asc" or "desc" in the `order` clause. Got "DESC".',
      },
    );
  });

  it('pagination: limit and first together', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { limit: 10, first: 10 } } },
      {
        expected: 'supported-options?',
        in: ['users', '$'],
        message: 'Only provide one of `limit` or `first`.',
      },
    );
  });

  it('pagination: first and last together', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { last: 10, first: 10 } } },
      {
        expected: 'supported-options?',
        in: ['users', '$'],
        message: 'Only provide one of `first` or `last`.',
      },
    );
  });

  it('pagination: first of 0', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { first: 0 } } },
      {
        expected: 'supported-options?',
        in: ['users', '$', 'first'],
        message: 'The first field must be a positive integer. Got 0.',
      },
    );
  });

  it('pagination: negative last', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { last: -1 } } },
      {
        expected: 'supported-options?',
        in: ['users', '$', 'last'],
        message: 'The last field must be a positive integer. Got -1.',
      },
    );
  });

  // Instant's ctx has no `:admin?`; over HTTP a non-admin query is an impersonated one (as-guest).
  it('aggregate: only for admin queries', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { aggregate: 'count' } } },
      {
        expected: 'admin?',
        in: ['users', '$', 'aggregate'],
        message: 'Aggregates are currently only available for admin queries.',
      },
      { guest: true },
    );
  });

  it('aggregate: not with child queries', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { aggregate: 'count' }, bookshelves: {} } },
      {
        expected: 'valid-query?',
        in: ['users', '$', 'aggregate'],
        message: 'You can not combine aggregates with child queries at this time.',
      },
    );
  });

  it('fields: must be an array', async () => {
    await expectQueryError(
      zeneca,
      { users: { $: { fields: {} } } },
      {
        expected: 'array?',
        in: ['users', '$', 'fields'],
        message: 'The `fields` property should be an array of field names.',
      },
    );
  });
});

describe(`${FILE} › validations-on-checked-data`, () => {
  let app: App;
  const attrIds: Record<string, string> = {};

  beforeAll(async () => {
    app = await startApp();
    const steps: unknown[] = [];
    for (const type of ['string', 'number', 'boolean', 'date']) {
      attrIds[type] = uuid();
      steps.push([
        'add-attr',
        {
          id: attrIds[type],
          'forward-identity': [uuid(), 'etype', type],
          'unique?': false,
          'index?': true,
          'value-type': 'blob',
          'checked-data-type': type,
          cardinality: 'one',
        },
      ]);
    }
    await app.mustTransact(steps);
    await app.mustTransact([
      [
        'add-attr',
        {
          id: uuid(),
          'forward-identity': [uuid(), 'etype', 'unchecked'],
          'unique?': false,
          'index?': false,
          'value-type': 'blob',
          cardinality: 'one',
        },
      ],
      [
        'add-attr',
        {
          id: uuid(),
          'forward-identity': [uuid(), 'etype', 'id'],
          'unique?': true,
          'index?': false,
          'value-type': 'blob',
          cardinality: 'one',
        },
      ],
    ]);
  });
  afterAll(() => app?.close());

  it('equality on a string attr with a number', async () => {
    await expectQueryError(
      app,
      { etype: { $: { where: { string: 1 } } } },
      {
        'expected?': 'string?',
        in: ['etype', '$', 'where', 'string'],
        message: 'The data type of `etype.string` is `string`, but the query got the value `1` of type `number`.',
      },
    );
  });

  it('equality on a number attr with a string', async () => {
    await expectQueryError(
      app,
      { etype: { $: { where: { number: 'hello' } } } },
      {
        'expected?': 'number?',
        in: ['etype', '$', 'where', 'number'],
        message: 'The data type of `etype.number` is `number`, but the query got the value `"hello"` of type `string`.',
      },
    );
  });

  it('equality on a boolean attr with a number', async () => {
    await expectQueryError(
      app,
      { etype: { $: { where: { boolean: 0 } } } },
      {
        'expected?': 'boolean?',
        in: ['etype', '$', 'where', 'boolean'],
        message: 'The data type of `etype.boolean` is `boolean`, but the query got the value `0` of type `number`.',
      },
    );
  });

  // The number is beyond a double's exact range, so the body is sent as raw JSON text: Instant reads it
  // as a BigInteger and prints it back digit for digit.
  it('equality on a date attr with an out-of-range timestamp', async () => {
    const answer = await app.call(
      'POST',
      '/admin/query',
      '{"query":{"etype":{"$":{"where":{"date":9999999999999999999999}}}}}',
    );
    const message =
      'The data type of `etype.date` is `date`, but the query got value `9999999999999999999999` of type `number`.';
    expectValidation(answer, {
      message: `Validation failed for query: ${message}`,
      error: { 'expected?': 'timestamp?', in: ['etype', '$', 'where', 'date'], message },
    });
  });

  it('equality on a date attr with "tomorrow"', async () => {
    await expectQueryError(
      app,
      { etype: { $: { where: { date: 'tomorrow' } } } },
      {
        'expected?': 'date-string?',
        in: ['etype', '$', 'where', 'date'],
        message: 'The data type of `etype.date` is `date`, but the query got value `"tomorrow"` of type `string`.',
      },
    );
  });

  it('$gt on a string attr with a number', async () => {
    await expectQueryError(
      app,
      { etype: { $: { where: { string: { $gt: 10 } } } } },
      {
        'expected?': 'string?',
        in: ['etype', '$', 'where', 'string', '$gt'],
        message: 'The data type of `etype.string` is `string`, but the query got the value `10` of type `number`.',
      },
    );
  });

  it('$gt on a boolean attr with a number', async () => {
    await expectQueryError(
      app,
      { etype: { $: { where: { boolean: { $gt: 1 } } } } },
      {
        'expected?': 'boolean?',
        in: ['etype', '$', 'where', 'boolean', '$gt'],
        message: 'The data type of `etype.boolean` is `boolean`, but the query got the value `1` of type `number`.',
      },
    );
  });

  it('$like with a number', async () => {
    await expectQueryError(
      app,
      { etype: { $: { where: { string: { $like: 10 } } } } },
      {
        'expected?': 'string?',
        in: ['etype', '$', 'where', 'string', '$like'],
        message:
          'The $like value for `etype.string` must be a string, but the query got the value `10` of type `number`.',
      },
    );
  });

  it('$ilike with a number (the message still says $like)', async () => {
    await expectQueryError(
      app,
      { etype: { $: { where: { string: { $ilike: 10 } } } } },
      {
        'expected?': 'string?',
        in: ['etype', '$', 'where', 'string', '$ilike'],
        message:
          'The $like value for `etype.string` must be a string, but the query got the value `10` of type `number`.',
      },
    );
  });

  // The test checks the first error; `page-info-of-form` reports both problems of `etype.unchecked`, and
  // `throw-validation-err!` joins both messages into `message`.
  it('order by an attribute that is neither indexed nor typed', async () => {
    const notIndexed =
      'The `etype.unchecked` attribute is not indexed. Only indexed and typed attributes can be used to order by.';
    const notTyped =
      'The `etype.unchecked` attribute is not typed. Only typed and indexed attributes can be used to order by.';
    const query = { etype: { $: { order: { unchecked: 'desc' } } } };
    const answer = await app.query(query);
    expectValidation(answer, {
      message: `Validation failed for query: ${notIndexed}, ${notTyped}`,
      input: query,
      error: { expected: 'supported-order?', in: ['etype', '$', 'order'], message: notIndexed },
    });
    expect(answer.body.hint.errors).toEqual([
      { expected: 'supported-order?', in: ['etype', '$', 'order'], message: notIndexed },
      { expected: 'supported-order?', in: ['etype', '$', 'order'], message: notTyped },
    ]);
  });

  it('a cursor from a query ordered by another attribute', async () => {
    await expectQueryError(
      app,
      { etype: { $: { order: { string: 'desc' }, after: [uuid(), attrIds.number, null, 0] } } },
      {
        expected: 'valid-cursor?',
        in: ['etype', '$', 'after'],
        message:
          'Invalid after cursor. The query orders by `string`, but the query that returned the cursor orders by `number`.',
      },
    );
  });
});

/** An app with `posts.id` and a checked `posts.date` holding one post whose date is `dateNum` (epoch ms). */
async function datePostApp(indexed: boolean, dateNum: number): Promise<App> {
  const app = await startApp();
  const postId = uuid();
  await app.mustTransact([
    [
      'add-attr',
      {
        id: uuid(),
        'forward-identity': [uuid(), 'posts', 'id'],
        'unique?': true,
        'index?': true,
        'value-type': 'blob',
        cardinality: 'one',
      },
    ],
    [
      'add-attr',
      {
        id: uuid(),
        'forward-identity': [uuid(), 'posts', 'date'],
        'unique?': false,
        'index?': indexed,
        'value-type': 'blob',
        'checked-data-type': 'date',
        cardinality: 'one',
      },
    ],
  ]);
  await app.mustTransact([['update', 'posts', postId, { date: dateNum }]]);
  return app;
}

// `(System/currentTimeMillis)`; kept off whole seconds so Java's `Instant.toString` and JS's
// `toISOString` print the same text (both with three fraction digits).
const dateNow = (): number => (Date.now() % 1000 === 0 ? Date.now() + 1 : Date.now());

describe(`${FILE} › equality-on-dates-without-index`, () => {
  let app: App;
  const dateNum = dateNow();
  beforeAll(async () => {
    app = await datePostApp(false, dateNum);
  });
  afterAll(() => app?.close());

  it('If we search for the exact underlying value, we will find it', async () => {
    const { posts } = await app.mustQuery({ posts: { $: { where: { date: dateNum } } } });
    expect(posts.map((post: { date: unknown }) => post.date)).toEqual([dateNum]);
  });

  it('If we search for the value, but formatted differently, we will not find it', async () => {
    const { posts } = await app.mustQuery({ posts: { $: { where: { date: new Date(dateNum).toISOString() } } } });
    expect(posts).toEqual([]);
  });
});

describe(`${FILE} › equality-on-dates-with-index`, () => {
  let app: App;
  const dateNum = dateNow();
  beforeAll(async () => {
    app = await datePostApp(true, dateNum);
  });
  afterAll(() => app?.close());

  it('If we search for the exact underlying value, we will find it', async () => {
    const { posts } = await app.mustQuery({ posts: { $: { where: { date: dateNum } } } });
    expect(posts.map((post: { date: unknown }) => post.date)).toEqual([dateNum]);
  });

  it('If we search for the value, but formatted differently, we will _still_ find it', async () => {
    const { posts } = await app.mustQuery({ posts: { $: { where: { date: new Date(dateNum).toISOString() } } } });
    expect(posts.map((post: { date: unknown }) => post.date)).toEqual([dateNum]);
  });
});

describe(`${FILE} › pagination`, () => {
  // True order (in order of created) is stopa, joe, alex, nicolegf. Instant compares sets of triples; the
  // admin object tree lists a page's rows in the query's order (`instaql-nodes->object-tree`), asserted here.
  it('limit', async () => {
    const { users: rows } = await zeneca.mustQuery({ users: { $: { limit: 2, order: { serverCreatedAt: 'desc' } } } });
    expect(rows).toEqual(users('nicolegf', 'alex'));
  });

  it('limit with where', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: {
        $: { where: { handle: { in: ['joe', 'stopa', 'nicolegf'] } }, limit: 2, order: { serverCreatedAt: 'desc' } },
      },
    });
    expect(rows).toEqual(users('nicolegf', 'joe'));
  });

  // `eid-worldview` and `eid-the-way-of-the-gentleman` both match stopa; limit 3 should _still_ return
  // joe, stopa, alex.
  it('makes sure we use distinct', async () => {
    const shelves = ['Worldview', 'The Way of The Gentleman', 'Short Stories', '2018'].map(shelfId);
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { bookshelves: { in: shelves } }, limit: 3, order: { serverCreatedAt: 'asc' } } },
    });
    expect(rows.map((row: { handle: string }) => row.handle)).toEqual(['stopa', 'joe', 'alex']);
  });

  it('offset', async () => {
    const { users: rows } = await zeneca.mustQuery({ users: { $: { offset: 2, order: { serverCreatedAt: 'desc' } } } });
    expect(rows).toEqual(users('joe', 'stopa'));
  });

  const handlesOf = async (params: Record<string, unknown>): Promise<string[]> =>
    (await zeneca.mustQuery({ users: { $: params } })).users.map((row: { handle: string }) => row.handle);

  it('get-handles: order serverCreatedAt asc', async () => {
    expect(await handlesOf({ order: { serverCreatedAt: 'asc' } })).toEqual(['stopa', 'joe', 'alex', 'nicolegf']);
  });

  it('get-handles: limit 2', async () => {
    expect(await handlesOf({ limit: 2, order: { serverCreatedAt: 'asc' } })).toEqual(['stopa', 'joe']);
  });

  it('get-handles: limit 2 offset 1', async () => {
    expect(await handlesOf({ limit: 2, offset: 1, order: { serverCreatedAt: 'asc' } })).toEqual(['joe', 'alex']);
  });
});

describe(`${FILE} › pagination-with-checked-fields`, () => {
  const handleAttr = zenecaAttrId('users', 'handle');
  // A cursor on `handle` is the handle triple `[e, a, v, created_at]`; Instant compares only the value
  // and the entity id (`datalog.clj` `add-cursor-comparisons` reads position 2 unless ordering by
  // `serverCreatedAt`), so the created_at slot is 0 here, as in pagination-with-same-values.
  const cursor = (handle: string) => [userId(handle), handleAttr, handle, 0];
  // `{:limit 1 :order {:handle :desc}}` returns stopa, so its start and end cursors are stopa's row.
  const startCursor = cursor('stopa');
  const endCursor = cursor('stopa');
  // `{:limit 1 :where {:handle "nicolegf"} :order {:handle "desc"}}` → nicolegf's row.
  const nicoleCursor = cursor('nicolegf');

  const rowsOf = async (params: Record<string, unknown>) => (await checked.mustQuery({ users: { $: params } })).users;
  const handlesOf = async (params: Record<string, unknown>): Promise<string[]> =>
    (await rowsOf(params)).map((row: { handle: string }) => row.handle);

  it('limit', async () => {
    expect(await rowsOf({ limit: 2, order: { handle: 'desc' } })).toEqual(users('stopa', 'nicolegf'));
  });

  it('limit with where', async () => {
    expect(
      await rowsOf({ where: { handle: { in: ['joe', 'stopa', 'alex'] } }, limit: 2, order: { handle: 'desc' } }),
    ).toEqual(users('stopa', 'joe'));
  });

  it('offset', async () => {
    expect(await rowsOf({ offset: 2, order: { handle: 'desc' } })).toEqual(users('joe', 'alex'));
  });

  it('cursors › after', async () => {
    expect(await rowsOf({ limit: 1, after: endCursor, order: { handle: 'desc' } })).toEqual(users('nicolegf'));
  });

  it('cursors › before (desc: nothing before the first row)', async () => {
    expect(await rowsOf({ limit: 1, before: startCursor, order: { handle: 'desc' } })).toEqual([]);
  });

  it('cursors › before (asc)', async () => {
    expect(await rowsOf({ limit: 1, before: startCursor, order: { handle: 'asc' } })).toEqual(users('alex'));
  });

  it('cursors › last (desc: nothing before the first row)', async () => {
    expect(await rowsOf({ limit: 1, before: startCursor, order: { handle: 'desc' } })).toEqual([]);
  });

  it('cursors › last (asc)', async () => {
    expect(await rowsOf({ last: 1, before: startCursor, order: { handle: 'asc' } })).toEqual(users('nicolegf'));
  });

  // True order (in order of handle) is alex, joe, nicolegf, stopa. Instant compares these as sets.
  it('get-handles: order handle asc', async () => {
    expect((await handlesOf({ order: { handle: 'asc' } })).sort()).toEqual(['alex', 'joe', 'nicolegf', 'stopa']);
  });

  it('get-handles: limit 2', async () => {
    expect((await handlesOf({ limit: 2, order: { handle: 'asc' } })).sort()).toEqual(['alex', 'joe']);
  });

  it('get-handles: limit 2 offset 1', async () => {
    expect((await handlesOf({ limit: 2, offset: 1, order: { handle: 'asc' } })).sort()).toEqual(['joe', 'nicolegf']);
  });

  it('get-handles: last 1 before nicolegf', async () => {
    expect((await handlesOf({ last: 1, before: nicoleCursor, order: { handle: 'asc' } })).sort()).toEqual(['joe']);
  });

  it('get-handles: last 2 before nicolegf', async () => {
    expect((await handlesOf({ last: 2, before: nicoleCursor, order: { handle: 'asc' } })).sort()).toEqual([
      'alex',
      'joe',
    ]);
  });

  it('get-handles: first 1 after nicolegf (asc)', async () => {
    expect((await handlesOf({ first: 1, after: nicoleCursor, order: { handle: 'asc' } })).sort()).toEqual(['stopa']);
  });

  it('get-handles: first 1 after nicolegf (desc)', async () => {
    expect((await handlesOf({ first: 1, after: nicoleCursor, order: { handle: 'desc' } })).sort()).toEqual(['joe']);
  });
});

describe(`${FILE} › pagination-with-same-values`, () => {
  let app: App;
  const valueAttrId = uuid();
  const labels = ['a', 'b', 'c', 'd', 'e'];
  // `stuid` gives stable ids that sort like their labels; these do too (Postgres compares uuids bytewise).
  const stuid = (label: string): string =>
    `${label.charCodeAt(0).toString(16).padStart(8, '0')}-0000-0000-0000-000000000000`;

  beforeAll(async () => {
    app = await startApp();
    await app.mustTransact([
      [
        'add-attr',
        {
          id: uuid(),
          'forward-identity': [uuid(), 'etype', 'id'],
          'unique?': true,
          'index?': true,
          'value-type': 'blob',
          'checked-data-type': 'string',
          cardinality: 'one',
        },
      ],
      [
        'add-attr',
        {
          id: uuid(),
          'forward-identity': [uuid(), 'etype', 'label'],
          'unique?': true,
          'index?': false,
          'value-type': 'blob',
          'checked-data-type': 'string',
          cardinality: 'one',
        },
      ],
      [
        'add-attr',
        {
          id: valueAttrId,
          'forward-identity': [uuid(), 'etype', 'value'],
          'unique?': false,
          'index?': true,
          'value-type': 'blob',
          'checked-data-type': 'string',
          cardinality: 'one',
        },
      ],
    ]);
    await app.mustTransact(labels.map((label) => ['update', 'etype', stuid(label), { label, value: 'value' }]));
  });
  afterAll(() => app?.close());

  const idsOf = async (params: Record<string, unknown>): Promise<string[]> =>
    (await app.mustQuery({ etype: { $: params } })).etype.map((row: { id: string }) => row.id);
  const at = (label: string) => [stuid(label), valueAttrId, 'value', 0];

  // All have the same value, so these order by id.
  it('order by a shared value falls back to id', async () => {
    expect(await idsOf({ order: { value: 'asc' } })).toEqual(['a', 'b', 'c', 'd', 'e'].map(stuid));
  });

  it('after and before', async () => {
    expect(await idsOf({ order: { value: 'asc' }, after: at('a'), before: at('e') })).toEqual(
      ['b', 'c', 'd'].map(stuid),
    );
  });

  it('afterInclusive and beforeInclusive', async () => {
    expect(
      await idsOf({
        order: { value: 'asc' },
        afterInclusive: true,
        beforeInclusive: true,
        after: at('a'),
        before: at('e'),
      }),
    ).toEqual(['a', 'b', 'c', 'd', 'e'].map(stuid));
  });

  it('afterInclusive alone', async () => {
    expect(await idsOf({ order: { value: 'asc' }, afterInclusive: true, after: at('b') })).toEqual(
      ['b', 'c', 'd', 'e'].map(stuid),
    );
  });

  it('beforeInclusive alone', async () => {
    expect(await idsOf({ order: { value: 'asc' }, beforeInclusive: true, before: at('d') })).toEqual(
      ['a', 'b', 'c', 'd'].map(stuid),
    );
  });
});

describe(`${FILE} › pagination-with-null-values`, () => {
  // with-zeneca-checked-data-app plus users without an email; the describe runs in order because the
  // test adds `second` half-way through.
  let app: App;
  const uid = '00000000-0000-0000-0000-000000000000'; // (UUID. 0 0)
  const uid2 = '00000000-0000-0000-0000-000000000001'; // (UUID. 0 1)
  const emailAttr = zenecaAttrId('users', 'email');

  beforeAll(async () => {
    app = await startApp();
    await loadInstantZeneca(app, true);
    await app.mustTransact([['update', 'users', uid, { handle: 'first' }]]);
  }, 30_000);
  afterAll(() => app?.close());

  const handlesOf = async (params: Record<string, unknown>): Promise<string[]> =>
    (await app.mustQuery({ users: { $: params } })).users.map((row: { handle: string }) => row.handle);

  it('a missing email sorts first ascending', async () => {
    expect(await handlesOf({ order: { email: 'asc' } })).toEqual(['first', 'alex', 'joe', 'nicolegf', 'stopa']);
  });

  it('a missing email sorts last descending', async () => {
    expect(await handlesOf({ order: { email: 'desc' } })).toEqual(['stopa', 'nicolegf', 'joe', 'alex', 'first']);
  });

  it('null as a value', async () => {
    await app.mustTransact([['update', 'users', uid2, { handle: 'second', email: null }]]);
    expect(await handlesOf({ order: { email: 'asc' } })).toEqual([
      'first',
      'second',
      'alex',
      'joe',
      'nicolegf',
      'stopa',
    ]);
    expect(await handlesOf({ order: { email: 'desc' } })).toEqual([
      'stopa',
      'nicolegf',
      'joe',
      'alex',
      'second',
      'first',
    ]);
  });

  // Instant pages with each page's `end-cursor`; that cursor is the last row's email triple
  // `[e, email-attr, email, created_at]`, built here from the returned row (created_at is not compared).
  const rowCursor = (row: { id: string; email?: unknown }) => [row.id, emailAttr, row.email ?? null, 0];

  for (const order of ['asc', 'desc'] as const) {
    it(`before › order ${order}: paging one row at a time`, async () => {
      const all = ['first', 'second', 'alex', 'joe', 'nicolegf', 'stopa'];
      const expected = order === 'desc' ? [...all].reverse() : all;
      const seen: string[] = [];
      let after: unknown = null;
      for (let i = 0; i < expected.length; i++) {
        const { users: rows } = await app.mustQuery({ users: { $: { limit: 1, order: { email: order }, after } } });
        seen.push(rows[0]?.handle);
        if (!rows[0]) break;
        after = rowCursor(rows[0]);
      }
      expect(seen).toEqual(expected);
    });
  }

  it('after the end cursor of the first ascending page', async () => {
    const { users: first } = await app.mustQuery({ users: { $: { limit: 1, order: { email: 'asc' } } } });
    expect(await handlesOf({ order: { email: 'asc' }, limit: 1, after: rowCursor(first[0]) })).toEqual(['second']);
  });
});

describe(`${FILE} › obj-tree-order`, () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
    await app.mustTransact([
      [
        'add-attr',
        {
          id: uuid(),
          'forward-identity': [uuid(), 'users', 'id'],
          'unique?': true,
          'index?': true,
          'value-type': 'blob',
          cardinality: 'one',
        },
      ],
      [
        'add-attr',
        {
          id: uuid(),
          'forward-identity': [uuid(), 'users', 'handle'],
          'unique?': true,
          'index?': true,
          'value-type': 'blob',
          cardinality: 'one',
          'checked-data-type': 'string',
        },
      ],
    ]);
    // Three transactions, as in Instant's test; a few ms apart so their creation times differ.
    for (const handle of ['joe', 'stopa', 'daniel']) {
      await app.mustTransact([['update', 'users', uuid(), { handle }]]);
      await sleep(3);
    }
  });
  afterAll(() => app?.close());

  const handlesOf = async (params: Record<string, unknown>): Promise<string[]> =>
    (await app.mustQuery({ users: { $: params } })).users.map((row: { handle: string }) => row.handle);

  it('default is serverCreatedAt asc', async () => {
    expect(await handlesOf({})).toEqual(['joe', 'stopa', 'daniel']);
    expect(await handlesOf({ order: { serverCreatedAt: 'asc' } })).toEqual(['joe', 'stopa', 'daniel']);
  });

  it('reverse works', async () => {
    expect(await handlesOf({ order: { serverCreatedAt: 'desc' } })).toEqual(['daniel', 'stopa', 'joe']);
  });

  it('checked and indexed fields work', async () => {
    expect(await handlesOf({ order: { handle: 'asc' } })).toEqual(['daniel', 'joe', 'stopa']);
    expect(await handlesOf({ order: { handle: 'desc' } })).toEqual(['stopa', 'joe', 'daniel']);
  });
});

describe(`${FILE} › flat-where`, () => {
  it('plain scan', async () => {
    const { users: rows } = await zeneca.mustQuery({ users: {} });
    expect(byId(rows)).toEqual(byId(users('stopa', 'joe', 'alex', 'nicolegf')));
  });

  it('by an attr', async () => {
    expect((await zeneca.mustQuery({ users: { $: { where: { handle: 'alex' } } } })).users).toEqual(users('alex'));
  });

  it('by id', async () => {
    expect((await zeneca.mustQuery({ users: { $: { where: { id: userId('alex') } } } })).users).toEqual(users('alex'));
  });
});

describe(`${FILE} › deep-where`, () => {
  it('reference attrs', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { 'bookshelves.books.title': 'Musashi' } } },
    });
    expect(rows).toEqual(users('stopa'));
  });

  it('reference ids', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { 'bookshelves.books.id': bookId('Musashi') } } },
    });
    expect(rows).toEqual(users('stopa'));
  });

  it('reference ids › works with ref id', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { 'bookshelves.books': bookId('Musashi') } } },
    });
    expect(rows).toEqual(users('stopa'));
  });
});

describe(`${FILE} › multiple-where`, () => {
  it('no matches', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { 'bookshelves.books.title': 'Musashi', email: 'random@example.com' } } },
    });
    expect(rows).toEqual([]);
  });

  it('Single match', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { 'bookshelves.books.title': 'Musashi', email: 'stopa@instantdb.com' } } },
    });
    expect(rows).toEqual(users('stopa'));
  });

  it('child where clause', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { handle: 'alex' } }, bookshelves: { $: { where: { name: 'Nonfiction', order: 1 } } } },
    });
    const nonfiction = zenecaEntity('bookshelves', shelfId('Nonfiction'));
    expect(nonfiction).toEqual({ id: shelfId('Nonfiction'), name: 'Nonfiction', desc: '', order: 1 });
    expect(rows).toEqual([{ ...user('alex'), bookshelves: [nonfiction] }]);
  });
});

describe(`${FILE} › where-in`, () => {
  it('with no matches', async () => {
    expect((await zeneca.mustQuery({ users: { $: { where: { handle: { in: ['nobody'] } } } } })).users).toEqual([]);
  });

  it('with matches', async () => {
    const { users: rows } = await zeneca.mustQuery({ users: { $: { where: { handle: { in: ['joe', 'stopa'] } } } } });
    expect(byId(rows)).toEqual(byId(users('stopa', 'joe')));
  });
});

describe(`${FILE} › where-$like`, () => {
  it('with no matches', async () => {
    expect((await checked.mustQuery({ users: { $: { where: { handle: { $like: '%moop%' } } } } })).users).toEqual([]);
  });

  it('with equality', async () => {
    expect((await checked.mustQuery({ users: { $: { where: { handle: { $like: 'joe' } } } } })).users).toEqual(
      users('joe'),
    );
  });

  it('like startsWith', async () => {
    expect((await checked.mustQuery({ users: { $: { where: { handle: { $like: 'al%' } } } } })).users).toEqual(
      users('alex'),
    );
  });

  it('like endsWith deep', async () => {
    const { users: rows } = await checked.mustQuery({
      users: { $: { where: { 'bookshelves.books.title': { $like: '%Monte Cristo' } } } },
    });
    expect(byId(rows)).toEqual(byId(users('nicolegf', 'stopa')));
  });
});

describe(`${FILE} › where-$ilike`, () => {
  it('with no matches', async () => {
    expect((await checked.mustQuery({ users: { $: { where: { handle: { $ilike: '%moop%' } } } } })).users).toEqual([]);
  });

  it('with equality', async () => {
    expect((await checked.mustQuery({ users: { $: { where: { handle: { $ilike: 'joe' } } } } })).users).toEqual(
      users('joe'),
    );
  });
});

describe(`${FILE} › where-$not`, () => {
  it('$not works as expected', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { and: [{ handle: { $not: 'alex' } }, { handle: { $not: 'nicolegf' } }] } } },
    });
    expect(byId(rows)).toEqual(byId(users('stopa', 'joe')));
  });

  // Instant's case of this name sends `$not` again (where-$ne covers `$ne`); ported as written.
  it('$ne is an alias for $not', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { and: [{ handle: { $not: 'alex' } }, { handle: { $not: 'nicolegf' } }] } } },
    });
    expect(byId(rows)).toEqual(byId(users('stopa', 'joe')));
  });
});

describe(`${FILE} › where-$ne`, () => {
  it('$ne excludes the given values', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { and: [{ handle: { $ne: 'alex' } }, { handle: { $ne: 'nicolegf' } }] } } },
    });
    expect(byId(rows)).toEqual(byId(users('joe', 'stopa')));
  });
});

/**
 * Instant's `books` app of where-$not-with-nils and where-$isNull: `books.id` (unique, indexed),
 * `books.title` and `books.val` (neither); books a (val "a"), b (val "b"), null (val null) and
 * undefined (no val).
 */
async function booksWithNilsApp(): Promise<{ app: App; ids: Record<string, string> }> {
  const app = await startApp();
  const ids = { a: uuid(), b: uuid(), null: uuid(), undefined: uuid() };
  await app.mustTransact([
    [
      'add-attr',
      {
        id: uuid(),
        'forward-identity': [uuid(), 'books', 'id'],
        'unique?': true,
        'index?': true,
        'value-type': 'blob',
        cardinality: 'one',
      },
    ],
    [
      'add-attr',
      {
        id: uuid(),
        'forward-identity': [uuid(), 'books', 'title'],
        'unique?': false,
        'index?': false,
        'value-type': 'blob',
        cardinality: 'one',
      },
    ],
    [
      'add-attr',
      {
        id: uuid(),
        'forward-identity': [uuid(), 'books', 'val'],
        'unique?': false,
        'index?': false,
        'value-type': 'blob',
        cardinality: 'one',
      },
    ],
  ]);
  await app.mustTransact([
    ['update', 'books', ids.a, { title: 'a', val: 'a' }],
    ['update', 'books', ids.b, { title: 'b', val: 'b' }],
    ['update', 'books', ids.null, { title: 'null', val: null }],
    ['update', 'books', ids.undefined, { title: 'undefined' }],
  ]);
  return { app, ids };
}

describe(`${FILE} › where-$not-with-nils`, () => {
  let app: App;
  let ids: Record<string, string>;
  beforeAll(async () => {
    ({ app, ids } = await booksWithNilsApp());
  });
  afterAll(() => app?.close());

  const expected = () =>
    byId([
      { id: ids.b, title: 'b', val: 'b' },
      { id: ids.undefined, title: 'undefined' },
      { id: ids.null, title: 'null', val: null },
    ]);

  it('$not works on nil values', async () => {
    const { books } = await app.mustQuery({ books: { $: { where: { val: { $not: 'a' } } } } });
    expect(byId(books)).toEqual(expected());
  });

  it('$ne works on nil values', async () => {
    const { books } = await app.mustQuery({ books: { $: { where: { val: { $ne: 'a' } } } } });
    expect(byId(books)).toEqual(expected());
  });
});

describe(`${FILE} › where-$isNull`, () => {
  let app: App;
  let ids: Record<string, string>;
  beforeAll(async () => {
    ({ app, ids } = await booksWithNilsApp());
  });
  afterAll(() => app?.close());

  it('$isNull true: null and missing values', async () => {
    const { books } = await app.mustQuery({ books: { $: { where: { val: { $isNull: true } } } } });
    expect(byId(books)).toEqual(
      byId([
        { id: ids.null, title: 'null', val: null },
        { id: ids.undefined, title: 'undefined' },
      ]),
    );
  });

  it('$isNull false: present values', async () => {
    const { books } = await app.mustQuery({ books: { $: { where: { val: { $isNull: false } } } } });
    expect(byId(books)).toEqual(
      byId([
        { id: ids.a, title: 'a', val: 'a' },
        { id: ids.b, title: 'b', val: 'b' },
      ]),
    );
  });
});

/**
 * Instant's `add-references-to-app`: namespaces `fwd` and `rev` (id, label, prop; a, b, c, d with props
 * "a".."d", `null` with a null prop, `undefined` without one) and a link `fwd.rev` ↔ `rev.fwd` with
 * cardinality `fwdCard` and `unique?` when the reverse side is `one`.
 */
async function referencesApp(fwdCard: 'one' | 'many', rev: 'one' | 'many') {
  const app = await startApp();
  const names = ['a', 'b', 'c', 'd', 'null', 'undefined'];
  const ids: Record<string, string> = {};
  const steps: unknown[] = [];
  for (const ns of ['fwd', 'rev']) {
    steps.push([
      'add-attr',
      {
        id: uuid(),
        'forward-identity': [uuid(), ns, 'id'],
        'unique?': true,
        'index?': true,
        'value-type': 'blob',
        cardinality: 'one',
      },
    ]);
    for (const label of ['label', 'prop']) {
      steps.push([
        'add-attr',
        {
          id: uuid(),
          'forward-identity': [uuid(), ns, label],
          'unique?': false,
          'index?': false,
          'value-type': 'blob',
          cardinality: 'one',
        },
      ]);
    }
  }
  steps.push([
    'add-attr',
    {
      id: uuid(),
      'forward-identity': [uuid(), 'fwd', 'rev'],
      'reverse-identity': [uuid(), 'rev', 'fwd'],
      'unique?': rev === 'one',
      'index?': false,
      'value-type': 'ref',
      cardinality: fwdCard,
    },
  ]);
  await app.mustTransact(steps);
  const data: unknown[] = [];
  for (const ns of ['fwd', 'rev']) {
    for (const name of names) {
      const id = uuid();
      ids[`${ns}-${name}`] = id;
      const prop = name === 'null' ? { prop: null } : name === 'undefined' ? {} : { prop: name };
      data.push(['update', ns, id, { label: `${ns}-${name}`, ...prop }]);
    }
  }
  await app.mustTransact(data);
  const addLinks = (links: [string, string][]) =>
    app.mustTransact(links.map(([fwd, revName]) => ['link', 'fwd', ids[fwd]!, { rev: ids[revName]! }]));
  const labelsOf = async (query: Record<string, unknown>, ns: string): Promise<string[]> =>
    (await app.mustQuery(query))[ns].map((row: { label: string }) => row.label).sort();
  return { app, addLinks, labelsOf };
}

/**
 * The four where-$not-$isNull-with-links-* deftests. Each first calls `add-links` with ONE vector of six
 * (or eight, ten) ids, which its `(fn [[fwd-id rev-id]] ...)` destructures to the first pair only, so the
 * only link is fwd-a → rev-a; it later links fwd-null → rev-b and fwd-undefined → rev-c. Instant's
 * "many-to-many" deftest builds the app with `:many :one`, as ported here.
 */
function linksDeftest(name: string, fwdCard: 'one' | 'many', rev: 'one' | 'many'): void {
  describe(`${FILE} › ${name}`, () => {
    let refs: Awaited<ReturnType<typeof referencesApp>>;
    beforeAll(async () => {
      refs = await referencesApp(fwdCard, rev);
      await refs.addLinks([['fwd-a', 'rev-a']]);
    });
    afterAll(() => refs?.app.close());

    const allFwdButA = ['fwd-b', 'fwd-c', 'fwd-d', 'fwd-null', 'fwd-undefined'];
    const allRevButA = ['rev-b', 'rev-c', 'rev-d', 'rev-null', 'rev-undefined'];

    it('fwd where rev.prop $isNull true', async () => {
      expect(await refs.labelsOf({ fwd: { $: { where: { 'rev.prop': { $isNull: true } } } } }, 'fwd')).toEqual(
        allFwdButA,
      );
    });

    it('fwd where rev.prop $isNull false', async () => {
      expect(await refs.labelsOf({ fwd: { $: { where: { 'rev.prop': { $isNull: false } } } } }, 'fwd')).toEqual([
        'fwd-a',
      ]);
    });

    it('fwd where rev.prop $not "a"', async () => {
      expect(await refs.labelsOf({ fwd: { $: { where: { 'rev.prop': { $not: 'a' } } } } }, 'fwd')).toEqual(allFwdButA);
    });

    it('rev where fwd.prop $not "a"', async () => {
      expect(await refs.labelsOf({ rev: { $: { where: { 'fwd.prop': { $not: 'a' } } } } }, 'rev')).toEqual(allRevButA);
    });

    it('rev where fwd.prop $isNull true', async () => {
      expect(await refs.labelsOf({ rev: { $: { where: { 'fwd.prop': { $isNull: true } } } } }, 'rev')).toEqual(
        allRevButA,
      );
    });

    it('rev where fwd.prop $isNull false', async () => {
      expect(await refs.labelsOf({ rev: { $: { where: { 'fwd.prop': { $isNull: false } } } } }, 'rev')).toEqual([
        'rev-a',
      ]);
    });

    it('rev where fwd.prop $isNull true, after linking fwd-null → rev-b and fwd-undefined → rev-c', async () => {
      await refs.addLinks([
        ['fwd-null', 'rev-b'],
        ['fwd-undefined', 'rev-c'],
      ]);
      expect(await refs.labelsOf({ rev: { $: { where: { 'fwd.prop': { $isNull: true } } } } }, 'rev')).toEqual(
        allRevButA,
      );
    });
  });
}

linksDeftest('where-$not-$isNull-with-links-1-to-1', 'one', 'one');
linksDeftest('where-$not-$isNull-with-links-1-to-many', 'one', 'many');
linksDeftest('where-$not-$isNull-with-links-many-to-1', 'many', 'one');
linksDeftest('where-$not-$isNull-with-links-many-to-many', 'many', 'one');

describe(`${FILE} › $isNull-and-$not-with-every-type`, () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
    const attr = (label: string, type: string, unique: boolean) => [
      'add-attr',
      {
        id: uuid(),
        'forward-identity': [uuid(), 'etype', label],
        'unique?': unique,
        'index?': true,
        'value-type': 'blob',
        'checked-data-type': type,
        cardinality: 'one',
      },
    ];
    await app.mustTransact([
      attr('id', 'string', true),
      attr('label', 'string', true),
      ...['string', 'number', 'boolean', 'date'].map((type) => attr(type, type, false)),
    ]);
    const rows: unknown[] = ['a', 'b', 'c'].map((label, i) => [
      'update',
      'etype',
      uuid(),
      { label, string: String(i), number: i, date: i, boolean: i % 2 === 0 },
    ]);
    rows.push(['update', 'etype', uuid(), { label: 'null', string: null, number: null, date: null, boolean: null }]);
    rows.push(['update', 'etype', uuid(), { label: 'undefined' }]);
    await app.mustTransact(rows);
  });
  afterAll(() => app?.close());

  const labelsOf = async (where: Record<string, unknown>): Promise<string[]> =>
    (await app.mustQuery({ etype: { $: { where } } })).etype.map((row: { label: string }) => row.label).sort();

  for (const type of ['string', 'number', 'date', 'boolean']) {
    it(`$isNull › ${type}`, async () => {
      expect(await labelsOf({ [type]: { $isNull: true } })).toEqual(['null', 'undefined']);
      expect(await labelsOf({ [type]: { $isNull: false } })).toEqual(['a', 'b', 'c']);
    });
  }

  const nots: [string, unknown][] = [
    ['string', '1'],
    ['number', 1],
    ['date', 1],
    ['boolean', false],
  ];
  for (const [type, value] of nots) {
    it(`$not › ${type}`, async () => {
      expect(await labelsOf({ [type]: { $not: value } })).toEqual(['a', 'c', 'null', 'undefined']);
    });
  }
});

describe(`${FILE} › where-or`, () => {
  it('with no matches', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { or: [{ handle: { in: ['nobody'] } }, { handle: 'everybody' }] } } },
    });
    expect(rows).toEqual([]);
  });

  it('with matches', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { or: [{ handle: 'joe' }, { handle: 'stopa' }] } } },
    });
    expect(byId(rows)).toEqual(byId(users('joe', 'stopa')));
  });

  it('with mix of matching and not matching clauses', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { or: [{ handle: 'somebody' }, { handle: 'joe' }, { handle: 'nobody' }] } } },
    });
    expect(rows).toEqual(users('joe'));
  });

  it('with nested relations', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: {
        $: {
          where: {
            'bookshelves.books.title': 'The Count of Monte Cristo',
            or: [{ 'bookshelves.books.title': 'Musashi', email: 'stopa@instantdb.com' }, { handle: 'stopa' }],
          },
        },
      },
    });
    expect(rows).toEqual(users('stopa'));
  });
});

describe(`${FILE} › where-and`, () => {
  it('with no matches', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: { $: { where: { and: [{ handle: { in: ['nobody'] } }, { handle: 'everybody' }] } } },
    });
    expect(rows).toEqual([]);
  });

  it('with matches', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: {
        $: {
          where: {
            and: [{ 'bookshelves.books.title': 'Musashi' }, { 'bookshelves.books.title': 'The Count of Monte Cristo' }],
          },
        },
      },
    });
    expect(rows).toEqual(users('stopa'));
  });

  it('with matches › a key next to `and`', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: {
        $: {
          where: {
            'bookshelves.books.title': 'Musashi',
            and: [{ 'bookshelves.books.title': 'The Count of Monte Cristo' }],
          },
        },
      },
    });
    expect(rows).toEqual(users('stopa'));
  });

  it('with nested ors', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: {
        $: {
          where: {
            and: [
              {
                or: [
                  { handle: 'somebody' },
                  { handle: 'joe' },
                  { handle: 'nobody' },
                  { handle: 'stopa' },
                  { and: [{ or: [{ handle: 'stopa' }] }] },
                ],
              },
            ],
          },
        },
      },
    });
    expect(byId(rows)).toEqual(byId(users('joe', 'stopa')));
  });
});

describe(`${FILE} › or-stress-test`, () => {
  it('nested single-branch ors and ands', async () => {
    const { users: rows } = await zeneca.mustQuery({
      users: {
        $: {
          where: {
            and: [{ or: [{ and: [{ handle: 'stopa' }] }] }, { or: [{ and: [{ or: [{ handle: 'stopa' }] }] }] }],
          },
        },
      },
    });
    expect(rows).toEqual(users('stopa'));
  });

  it('repeated nested ors', async () => {
    const branch = {
      or: [{ or: [{ handle: 'stopa' }, { or: [{ handle: 'stopa' }, { handle: 'stopa' }] }] }, { handle: 'stopa' }],
    };
    const { users: rows } = await zeneca.mustQuery({ users: { $: { where: { and: [branch, branch] } } } });
    expect(rows).toEqual(users('stopa'));
  });
});
