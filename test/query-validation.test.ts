import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateQuery } from '../src/client/validate-query.ts';
import { i, indexSchema, init, InstantValidationError } from '../src/index.ts';
import { startStub, type Stub } from './client/stub-server.ts';

const g = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';

const schema = i.schema({
  entities: {
    goals: i.entity({
      title: i.string(),
      priority: i.number().indexed().optional(),
      due: i.date().optional(),
      meta: i.json().optional(),
      done: i.boolean().optional(),
    }),
    todos: i.entity({ text: i.string(), slug: i.string().unique().indexed() }),
  },
  links: {
    goalTodos: {
      forward: { on: 'goals', has: 'many', label: 'todos' },
      reverse: { on: 'todos', has: 'one', label: 'goal' },
    },
    goalOwner: {
      forward: { on: 'goals', has: 'one', label: 'owner' },
      reverse: { on: '$users', has: 'many', label: 'goals' },
    },
  },
});
const index = indexSchema(schema);

const issuesOf = (query: unknown) => validateQuery(query, index).map((issue) => `${issue.code} ${issue.path}`);

describe('validateQuery accepts what Instant accepts', () => {
  const valid: [string, object][] = [
    ['an empty query', {}],
    ['namespaces and links', { goals: { todos: { goal: {} }, owner: {} }, todos: {} }],
    ['$users and $files, undeclared', { $users: { goals: {} }, $files: { $: { where: { path: 'a.png' } } } }],
    [
      'where on attributes, id, links and dotted paths',
      {
        goals: {
          $: {
            where: {
              title: 'x',
              id: g,
              owner: g,
              'todos.slug': 'run',
              'todos.goal.title': 'x',
              'owner.email': 'a@b.co',
              'todos.id': g,
            },
          },
        },
      },
    ],
    [
      'operators',
      {
        goals: {
          $: {
            where: {
              priority: { $gt: 1 },
              title: { $in: ['a', 'b'] },
              done: { $isNull: true },
              due: { $lte: '2025-01-01' },
            },
          },
        },
      },
    ],
    [
      '$like, $ilike on an indexed attribute, $ne and $not',
      {
        todos: {
          $: {
            where: {
              text: { $like: '%run%' },
              slug: { $ilike: '%R%' },
              or: [{ text: { $ne: 'x' } }, { text: { $not: 'y' } }],
            },
          },
        },
      },
    ],
    [
      'and/or nested',
      { goals: { $: { where: { and: [{ or: [{ title: 'a' }, { title: 'b' }] }, { priority: { $gte: 2 } }] } } } },
    ],
    [
      'json attributes match any literal',
      { goals: { $: { where: { meta: 'x', or: [{ meta: 1 }, { meta: true }] } } } },
    ],
    [
      'pagination and order at the top',
      { goals: { $: { order: { priority: 'desc' }, first: 10, after: [g, g, 1, 1], afterInclusive: true } } },
    ],
    [
      'limit, offset, order, fields in nested nodes',
      {
        goals: {
          $: { limit: 5, offset: 0, order: { serverCreatedAt: 'asc' } },
          todos: { $: { limit: 2, order: { text: 'asc' }, fields: ['text', 'id'] } },
        },
      },
    ],
    ['undefined options, as JSON drops them', { goals: { $: { where: { title: undefined }, limit: undefined } } }],
  ];
  it.each(valid)('%s', (_label, query) => {
    expect(issuesOf(query)).toEqual([]);
  });
});

describe('validateQuery reports every problem with its path', () => {
  const invalid: [string, unknown, string[]][] = [
    ['not an object', [], ['invalid-argument query']],
    ['an unknown namespace', { goalz: {} }, ['unknown-namespace goalz']],
    ['a node that is not an object', { goals: [] }, ['invalid-argument goals']],
    ['an unknown link', { goals: { todoz: {} } }, ['unknown-link goals.todoz']],
    ['an unknown link below a known one', { goals: { todos: { owner: {} } } }, ['unknown-link goals.todos.owner']],
    [
      'an unknown $ option',
      { goals: { $: { wher: {}, limt: 1 } } },
      ['unknown-option goals.$.wher', 'unknown-option goals.$.limt'],
    ],
    ['$ not an object', { goals: { $: 'x' } }, ['invalid-argument goals.$']],
    [
      'an unknown attribute in where',
      { goals: { $: { where: { titel: 'x' } } } },
      ['unknown-attribute goals.$.where.titel'],
    ],
    [
      'an unknown link in a dotted path',
      { goals: { $: { where: { 'todoz.text': 'x' } } } },
      ['unknown-link goals.$.where["todoz.text"]'],
    ],
    [
      'an unknown attribute at the end of a dotted path',
      { goals: { $: { where: { 'todos.txt': 'x' } } } },
      ['unknown-attribute goals.$.where["todos.txt"]'],
    ],
    [
      'an attribute in the middle of a dotted path',
      { goals: { $: { where: { 'title.x': 'x' } } } },
      ['unknown-link goals.$.where["title.x"]'],
    ],
    [
      'an id that is not a UUID',
      { goals: { $: { where: { id: 'goal-1', owner: 'me', 'todos.id': 3 } } } },
      ['wrong-type goals.$.where.id', 'wrong-type goals.$.where.owner', 'wrong-type goals.$.where["todos.id"]'],
    ],
    ['$in not an array', { goals: { $: { where: { title: { $in: 'a' } } } } }, ['wrong-type goals.$.where.title.$in']],
    [
      '$like not a string',
      { todos: { $: { where: { text: { $like: 1 } } } } },
      ['wrong-type todos.$.where.text.$like'],
    ],
    [
      '$ilike on an attribute that is not indexed',
      { todos: { $: { where: { text: { $ilike: '%a%' } } } } },
      ['invalid-argument todos.$.where.text.$ilike'],
    ],
    [
      '$isNull not a boolean',
      { goals: { $: { where: { done: { $isNull: 'yes' } } } } },
      ['wrong-type goals.$.where.done.$isNull'],
    ],
    [
      'an unknown operator',
      { goals: { $: { where: { priority: { $gtt: 1 } } } } },
      ['unknown-operator goals.$.where.priority.$gtt'],
    ],
    [
      'two operators in one object (Instant applies the first only)',
      { goals: { $: { where: { priority: { $gt: 1, $lt: 5 } } } } },
      ['invalid-argument goals.$.where.priority'],
    ],
    [
      'literals of the wrong type',
      { goals: { $: { where: { title: 1, priority: '2', done: 'no', due: true, 'todos.text': { $in: ['a', 2] } } } } },
      [
        'wrong-type goals.$.where.title',
        'wrong-type goals.$.where.priority',
        'wrong-type goals.$.where.done',
        'wrong-type goals.$.where.due',
        'wrong-type goals.$.where["todos.text"].$in[1]',
      ],
    ],
    [
      'null, arrays and NaN as literals',
      { goals: { $: { where: { title: null, priority: [1], 'todos.text': { $gt: NaN } } } } },
      [
        'invalid-value goals.$.where.title',
        'wrong-type goals.$.where.priority',
        'invalid-value goals.$.where["todos.text"].$gt',
      ],
    ],
    [
      'and/or that are not arrays, or empty',
      { goals: { $: { where: { and: { title: 'a' }, or: [] } } } },
      ['invalid-argument goals.$.where.and', 'invalid-argument goals.$.where.or'],
    ],
    [
      'problems inside and/or',
      { goals: { $: { where: { or: [{ titel: 'a' }, 'x'] } } } },
      ['unknown-attribute goals.$.where.or[0].titel', 'invalid-argument goals.$.where.or[1]'],
    ],
    ['where not an object', { goals: { $: { where: [] } } }, ['invalid-argument goals.$.where']],
    [
      'order of the wrong shape',
      { goals: { $: { order: { priority: 'up' } } }, todos: { $: { order: { text: 'asc', slug: 'desc' } } } },
      ['invalid-argument goals.$.order.priority', 'invalid-argument todos.$.order'],
    ],
    [
      'order on an unknown attribute',
      { goals: { $: { order: { prio: 'asc' } } } },
      ['unknown-attribute goals.$.order.prio'],
    ],
    [
      'limits that are not positive integers',
      {
        goals: { $: { limit: 0 } },
        todos: { $: { first: 1.5 } },
        $users: { $: { last: -1 } },
        $files: { $: { limit: '10' } },
      },
      ['wrong-type goals.$.limit', 'wrong-type todos.$.first', 'wrong-type $users.$.last', 'wrong-type $files.$.limit'],
    ],
    ['offset that is not a non-negative integer', { goals: { $: { offset: -1 } } }, ['wrong-type goals.$.offset']],
    ['two of limit, first and last', { goals: { $: { limit: 1, first: 1 } } }, ['invalid-argument goals.$']],
    [
      'pagination in a nested node',
      { goals: { todos: { $: { offset: 1, first: 2, after: [] } } } },
      [
        'invalid-argument goals.todos.$.offset',
        'invalid-argument goals.todos.$.first',
        'invalid-argument goals.todos.$.after',
      ],
    ],
    [
      'cursors and inclusivity of the wrong type',
      { goals: { $: { before: 'x', beforeInclusive: 1 } } },
      ['wrong-type goals.$.before', 'wrong-type goals.$.beforeInclusive'],
    ],
    [
      'unknown fields',
      { goals: { $: { fields: ['title', 'titel', 3] } }, todos: { $: { fields: 'text' } } },
      ['unknown-attribute goals.$.fields[1]', 'wrong-type goals.$.fields[2]', 'wrong-type todos.$.fields'],
    ],
  ];
  it.each(invalid)('%s', (_label, query, expected) => {
    expect(issuesOf(query)).toEqual(expected);
  });

  it('suggests the spelling a name differs from only in case', () => {
    const [issue] = validateQuery({ Goals: {}, goals: { $: { Where: {} } } }, index);
    expect(issue!.message).toMatch(/did you mean 'goals'/);
    expect(validateQuery({ goals: { $: { Where: {} } } }, index)[0]!.message).toMatch(/did you mean 'where'/);
  });

  it('stops at absurd nesting with an issue, not a RangeError', () => {
    let where: Record<string, unknown> = { title: 'x' };
    for (let level = 0; level < 10_000; level++) where = { or: [where] };
    expect(issuesOf({ goals: { $: { where } } })).toEqual([
      expect.stringMatching(/^invalid-argument goals\.\$\.where(\.or\[0\])+$/),
    ]);
    let node: Record<string, unknown> = {};
    for (let level = 0; level < 10_000; level++) node = { todos: { goal: node } };
    expect(issuesOf({ goals: node })).toEqual([expect.stringMatching(/^invalid-argument goals(\.todos\.goal)+/)]);
  });
});

describe('db.query checks the query against the schema before sending', () => {
  let stub: Stub;
  beforeAll(async () => {
    stub = await startStub();
    stub.fallback = () => ({ status: 200, body: {} });
  });
  beforeEach(() => {
    stub.requests.length = 0;
  });
  afterAll(() => stub.close());

  const bad = {
    goalz: {},
    goals: { $: { where: { titel: 'x', priority: { $in: 1 } }, limit: 0, sort: {} }, todoz: {} },
  };

  it('throws one InstantValidationError listing every problem, and sends nothing', async () => {
    const db = init({ appId: g, adminToken: g, apiURI: stub.url, schema });
    const error = await db.query(bad as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstantValidationError);
    expect((error as InstantValidationError).issues.map((issue) => issue.path)).toEqual([
      'goalz',
      'goals.$.where.titel',
      'goals.$.where.priority.$in',
      'goals.$.limit',
      'goals.$.sort',
      'goals.todoz',
    ]);
    expect((error as Error).message).toMatch(/^Invalid query: 6 problems/);
    await expect(db.asUser({ guest: true }).debugQuery(bad as never)).rejects.toBeInstanceOf(InstantValidationError);
    expect(stub.requests).toHaveLength(0);
  });

  it('sends valid queries unchanged, $users and $files included, with ruleParams added after checking', async () => {
    const db = init({ appId: g, adminToken: g, apiURI: stub.url, schema });
    const query = { goals: { $: { where: { 'todos.slug': 'run' }, first: 5 }, todos: {} }, $users: {}, $files: {} };
    await db.query(query, { ruleParams: { code: 'x' } });
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]!.body).toEqual({ query: { $$ruleParams: { code: 'x' }, ...query }, 'inference?': true });
  });

  it('without a schema, changes nothing: the server judges the query', async () => {
    const db = init({ appId: g, adminToken: g, apiURI: stub.url });
    await db.query(bad);
    expect(stub.requests).toHaveLength(1);
    expect((stub.requests[0]!.body as { query: unknown }).query).toEqual(bad);
  });
});
