import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/server/api/api-error.ts';
import { parseQuery } from '../../src/server/query/parse-query.ts';
import type { CondNode, NamespaceNode } from '../../src/server/query/query-plan.ts';
import { ATTR_DEFAULTS, type Attr } from '../../src/server/store/attr.ts';
import { Storage } from '../../src/server/store/storage.ts';

const storage = Storage.open(':memory:');
const { registry } = storage;

function attr(ns: string, label: string, extra: Partial<Attr> = {}): Attr {
  const made = { ...ATTR_DEFAULTS, id: crypto.randomUUID(), ns, label, ...extra };
  registry.add(made);
  return made;
}

beforeAll(() => {
  attr('users', 'id', { unique: true, indexed: true });
  attr('users', 'handle', { unique: true, indexed: true, checkedType: 'string' });
  attr('users', 'nick');
  attr('users', 'born', { indexed: true, checkedType: 'date' });
  attr('users', 'seen', { checkedType: 'date' });
  attr('users', 'age', { indexed: true, checkedType: 'number' });
  attr('users', 'bookshelves', { valueType: 'ref', cardinality: 'many', revNs: 'bookshelves', revLabel: 'users' });
  attr('bookshelves', 'id', { unique: true, indexed: true });
  attr('bookshelves', 'name', { indexed: true, checkedType: 'string' });
});

const parse = (query: Record<string, unknown>, admin = true) => parseQuery(registry, query, { admin, now: 0 });
const top = (query: Record<string, unknown>): NamespaceNode => parse(query).nodes[0]!;
const whereOf = (where: Record<string, unknown>): CondNode =>
  top({ users: { $: { where } } }).options.where as CondNode;

/** The `{status, type, message, hint}` an ApiError would be answered with. */
function errorOf(run: () => unknown): { status: number; type: string; message: string; hint: any } {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, ...error.body() } as any;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('parseQuery: the plan', () => {
  it('resolves namespaces, links, where, order and paging into frozen nodes', () => {
    const plan = parse({
      users: {
        $: { where: { handle: 'stopa', 'bookshelves.name': { $like: 'Short%' } }, order: { handle: 'desc' }, first: 2 },
        bookshelves: { $: { where: { name: { $in: ['a', 'b'] } } } },
      },
      $$ruleParams: { x: 1 },
    });
    expect(plan.nodes.map((node) => node.label)).toEqual(['users']);
    const users = plan.nodes[0]!;
    expect(users).toMatchObject({ kind: 'namespace', ns: 'users', link: undefined, unresolved: undefined });
    expect(users.options).toMatchObject({
      limit: 2,
      last: undefined,
      offset: 0,
      after: undefined,
      aggregate: undefined,
    });
    expect(users.options.order).toMatchObject({ kind: 'attr', direction: 'desc', dates: false });
    const where = users.options.where!;
    expect(where.kind).toBe('and');
    const [handle, like] = (where as { readonly clauses: readonly CondNode[] }).clauses;
    expect(handle).toMatchObject({
      kind: 'cond',
      path: { text: 'handle', leaf: { kind: 'attr' } },
      op: { kind: 'eq', value: 'stopa' },
    });
    expect(like!.path.links.map((link) => link.target)).toEqual(['bookshelves']);
    expect(like!.op).toMatchObject({ kind: 'like', pattern: 'Short%', caseInsensitive: false });
    const shelves = users.children[0]!;
    expect(shelves).toMatchObject({ label: 'bookshelves', ns: 'bookshelves', link: { forward: true } });
    expect(shelves.options.where).toMatchObject({ kind: 'cond', op: { kind: 'in', values: ['a', 'b'] } });
    for (const node of [plan, plan.nodes, users, users.options, where, handle, handle!.op, handle!.path, shelves])
      expect(Object.isFrozen(node)).toBe(true);
  });

  const operators: [where: unknown, op: Record<string, unknown>][] = [
    ['stopa', { kind: 'eq', value: 'stopa' }],
    [{ in: ['a'] }, { kind: 'in', values: ['a'] }],
    [{ $in: ['a', 'a', 'b'] }, { kind: 'in', values: ['a', 'b'] }],
    [{ $not: 'a' }, { kind: 'not', value: 'a' }],
    [{ $ne: 'a' }, { kind: 'not', value: 'a' }],
    [{ $isNull: true }, { kind: 'isNull', isNull: true }],
    [{ $gt: 'a' }, { kind: 'gt', value: 'a' }],
    [{ $gte: 'a' }, { kind: 'gte', value: 'a' }],
    [{ $lt: 'a' }, { kind: 'lt', value: 'a' }],
    [{ $lte: 'a' }, { kind: 'lte', value: 'a' }],
    [{ $ilike: 'A%' }, { kind: 'like', pattern: 'A%', caseInsensitive: true }],
  ];
  for (const [where, op] of operators) {
    it(`parses ${JSON.stringify(where)} into a ${op.kind} operator`, () => {
      expect(whereOf({ handle: where }).op).toMatchObject(op);
    });
  }

  it('coerces dates on an indexed date attribute, and keeps the raw value on an unindexed one', () => {
    expect(whereOf({ born: '1970-01-01T00:00:00.001Z' })).toMatchObject({ op: { kind: 'eq', value: 1 }, dates: true });
    expect(whereOf({ born: { $gt: 'epoch' } })).toMatchObject({ op: { kind: 'gt', value: 0 }, dates: true });
    expect(whereOf({ seen: '1970-01-01T00:00:00.001Z' })).toMatchObject({
      op: { kind: 'eq', value: '1970-01-01T00:00:00.001Z' },
      dates: false,
    });
  });

  it('lower-cases link ids and reads `id` as the entity id', () => {
    const id = crypto.randomUUID();
    expect(whereOf({ bookshelves: id.toUpperCase() })).toMatchObject({
      path: { leaf: { kind: 'link' } },
      op: { value: id },
    });
    expect(whereOf({ id }).path.leaf).toEqual({ kind: 'id' });
  });

  it('leaves a node unresolved (no rows) when it names a namespace, link or attribute that does not exist', () => {
    expect(top({ zippy: {} }).unresolved).toBe('zippy.id');
    expect(top({ users: { $: { where: { 'bookshelves.zippy': 'x' } } } }).unresolved).toBe('bookshelves.zippy');
    expect(top({ users: { zippy: {} } }).children[0]).toMatchObject({ link: undefined, unresolved: 'users.zippy' });
  });

  it('orders child nodes without checking the attribute, and tops by creation time by default', () => {
    expect(top({ users: {} }).options.order).toEqual({ kind: 'createdAt', direction: 'asc' });
    expect(
      top({ users: { bookshelves: { $: { order: { name: 'desc' } } } } }).children[0]!.options.order,
    ).toMatchObject({
      kind: 'attr',
      direction: 'desc',
    });
  });
});

describe('parseQuery: errors', () => {
  it('rejects an unknown operator instead of matching nothing', () => {
    const error = errorOf(() => whereOf({ handle: { is: 'stopa' } }));
    expect(error).toMatchObject({
      status: 400,
      type: 'validation-failed',
      message: 'Validation failed for coerced-query',
    });
    expect(error.hint.errors).toEqual([
      { expected: 'instant.db.instaql/where-value-valid-keys?', in: [0, 'option-map', 'where-conds', 0, 1] },
    ]);
  });

  const coerced: [where: Record<string, unknown>, problem: Record<string, unknown>][] = [
    [{ handle: { in: {} } }, { expected: 'vector?', in: [0, 'option-map', 'where-conds', 0, 1, 'in'] }],
    [
      { handle: { $in: [{}] } },
      { expected: 'instant.db.instaql/in-value-valid?', in: [0, 'option-map', 'where-conds', 0, 1, '$in', 0] },
    ],
    [{ handle: { $isNull: 'a' } }, { expected: 'boolean?', in: [0, 'option-map', 'where-conds', 0, 1, '$isNull'] }],
    [{ handle: { $gt: null } }, { expected: 'boolean?', in: [0, 'option-map', 'where-conds', 0, 1, '$gt'] }],
    [
      { handle: { $not: [] } },
      {
        expected: 'instant.db.instaql/where-value-valid?',
        in: [0, 'option-map', 'where-conds', 0, 'or', 0, 1, '$not'],
      },
    ],
    [
      { nick: 'x', handle: null },
      { expected: 'map?', in: [0, 'option-map', 'where-conds', 1, 1] },
    ],
    [
      { handle: {} },
      { expected: 'instant.db.instaql/where-value-valid-keys?', in: [0, 'option-map', 'where-conds', 0, 1] },
    ],
  ];
  for (const [where, problem] of coerced) {
    it(`rejects ${JSON.stringify(where)} as a coerced-query error`, () => {
      expect(errorOf(() => whereOf(where)).hint.errors).toEqual([problem]);
    });
  }

  const typed: [where: Record<string, unknown>, message: string][] = [
    [{ handle: 1 }, 'The data type of `users.handle` is `string`, but the query got the value `1` of type `number`.'],
    [
      { handle: { $in: ['a', 2] } },
      'The data type of `users.handle` is `string`, but the query got the value `2` of type `number`.',
    ],
    [
      { age: { $lt: '3' } },
      'The data type of `users.age` is `number`, but the query got the value `"3"` of type `string`.',
    ],
    [{ born: 'today' }, 'The data type of `users.born` is `date`, but the query got value `"today"` of type `string`.'],
    [{ nick: { $like: 'a%' } }, 'The `users.nick` attribute must be indexed to use comparison operators.'],
    [
      { age: { $like: 'a%' } },
      'The data type of `users.age` is `number`, but the query got the value `"a%"` of type `string`.',
    ],
    [{ bookshelves: 'hello' }, 'Expected bookshelves to be a uuid, got "hello"'],
    [{ bookshelves: { $not: 'x' } }, 'Expected bookshelves to be a uuid, got {"$not":"x"}'],
    [{ nick: { $in: ['a', null] } }, 'Only indexed attrs can check for `nil` in `$in`. users.nick is not indexed.'],
  ];
  for (const [where, message] of typed) {
    it(`rejects ${JSON.stringify(where)}: ${message}`, () => {
      const error = errorOf(() => whereOf(where));
      expect(error.message).toBe(`Validation failed for query: ${message}`);
      expect(error.hint.input).toEqual({ users: { $: { where } } });
    });
  }

  it('rejects a path through a data attribute as Instant does (data-type attr)', () => {
    const error = errorOf(() => whereOf({ 'handle.x': 1 }));
    expect(error.message).toBe('Validation failed for attr: users.handle needs to be a link');
    expect(error.hint['data-type']).toBe('attr');
  });

  it('checks shape everywhere before operands, and operands before attributes', () => {
    const shapeLater = { users: { $: { where: { handle: { is: 1 } } }, bookshelves: { $: { limit: 0 } } } };
    expect(errorOf(() => parse(shapeLater)).message).toBe(
      'Validation failed for query: The limit field must be a positive integer. Got 0.',
    );
    const typedFirst = { users: { $: { where: { handle: 1, nick: { is: 1 } } } } };
    expect(errorOf(() => parse(typedFirst)).message).toBe('Validation failed for coerced-query');
  });

  it('allows aggregates for admins only, and never with children', () => {
    expect(top({ users: { $: { aggregate: 'count' } } }).options.aggregate).toBe('count');
    expect(errorOf(() => parse({ users: { $: { aggregate: 'count' } } }, false)).message).toBe(
      'Validation failed for query: Aggregates are currently only available for admin queries.',
    );
    expect(errorOf(() => parse({ users: { $: { aggregate: 'count' }, bookshelves: {} } })).message).toBe(
      'Validation failed for query: You can not combine aggregates with child queries at this time.',
    );
  });

  it('checks cursors: a join row whose attribute is the order attribute', () => {
    const handle = registry.forward('users', 'handle')!.id;
    const age = registry.forward('users', 'age')!.id;
    const cursorQuery = (after: unknown) => ({ users: { $: { order: { handle: 'asc' }, after } } });
    expect(top(cursorQuery([crypto.randomUUID(), handle, 'x', 0])).options.after).toMatchObject({ value: 'x' });
    expect(errorOf(() => parse(cursorQuery([1, 'attr', 'x', 0]))).hint.errors[0].message).toBe(
      'Expected a join row with a uuid attribute id in the second position, got "attr".',
    );
    expect(errorOf(() => parse(cursorQuery([crypto.randomUUID(), age, 1, 0]))).hint.errors[0].message).toBe(
      'Invalid after cursor. The query orders by `handle`, but the query that returned the cursor orders by `age`.',
    );
  });
});
