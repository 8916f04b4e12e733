import type { ChainSpec, RefSpec } from './arbitraries.ts';

/**
 * Named inputs for the builder, ordinary and hostile, run against one implementation of `tx`/`lookup`/
 * `compile`/`getSteps`. `test/fixtures/builder-before.json` holds what the builder before the node-per-step
 * rewrite answered for each (steps or the exact issues); `test/builder-before.test.ts` checks today's
 * builder answers the same. Keep the names stable: they key the fixture.
 */

/** The part of the public API a case uses; the recording script passes the old builder's. */
export interface BuilderApi {
  readonly tx: any;
  readonly lookup: (attribute: string, value: unknown) => string;
  readonly compile: (input: any, options?: any) => unknown[];
  readonly getSteps: (chunk: object) => readonly unknown[];
  readonly txFor: (schema: unknown) => any;
  readonly i: any;
}

/** A small schema with every kind of check: types, required, unique, links. */
function schemaOf(i: any): unknown {
  return i.schema({
    entities: {
      goals: i.entity({
        title: i.string(),
        priority: i.number().optional(),
        due: i.date().optional(),
        meta: i.json().optional(),
      }),
      todos: i.entity({ text: i.string(), done: i.boolean().optional() }),
      users: i.entity({ email: i.string().unique().indexed(), name: i.string().optional() }),
    },
    links: {
      goalTodos: {
        forward: { on: 'goals', has: 'many', label: 'todos' },
        reverse: { on: 'todos', has: 'one', label: 'goal' },
      },
      goalOwner: {
        forward: { on: 'goals', has: 'one', label: 'owner' },
        reverse: { on: 'users', has: 'many', label: 'goals' },
      },
    },
  });
}

/** What one case answered: its steps (compiled, as recorded, and as text) or the error it threw. */
export type CaseOutcome =
  | { readonly steps: unknown; readonly recorded: unknown; readonly text: string | null }
  | { readonly error: string; readonly issues?: readonly { code: string; path: string; message: string }[] };

const G = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
const T = '6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const U = 'A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D';

class Point {
  readonly x = 1;
}

function cyclic(): Record<string, unknown> {
  const value: Record<string, unknown> = { a: 1 };
  value.self = value;
  return value;
}

function nested(levels: number, leaf: unknown = 1, key = 'a'): unknown {
  let value: unknown = leaf;
  for (let index = 0; index < levels; index++) value = { [key]: value };
  return value;
}

function nestedArrays(levels: number): unknown {
  let value: unknown = 1;
  for (let index = 0; index < levels; index++) value = [value];
  return value;
}

function withOwnProto(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { before: 1 };
  Object.defineProperty(out, '__proto__', { value, enumerable: true, writable: true, configurable: true });
  out.after = 2;
  return out;
}

function inheritedKey(): Record<string, unknown> {
  const proto = { inherited: 'no' };
  const value = Object.create(proto) as Record<string, unknown>;
  value.own = 'yes';
  return value;
}

function withGetter(): Record<string, unknown> {
  const value: Record<string, unknown> = { plain: 1 };
  Object.defineProperty(value, 'computed', { get: () => 'got', enumerable: true });
  Object.defineProperty(value, 'hidden', { value: 'not enumerable', enumerable: false });
  value[Symbol('s') as never] = 'a symbol key';
  return value;
}

function sparse(): unknown[] {
  const list = [1, 2, 3];
  delete list[1];
  return list;
}

function sparseTargets(): unknown[] {
  const list: unknown[] = [G, T];
  list.length = 3;
  list[2] = U;
  delete list[1];
  return list;
}

type Case = readonly [name: string, build: (api: BuilderApi) => unknown];

/** Every case: `build` returns what `compile` gets (a chunk or an array of them). */
export const BUILDER_CASES: readonly Case[] = [
  ['update flat', ({ tx }) => tx.goals[G].update({ title: 'Get fit', n: 1, done: false, none: null })],
  ['update then link', ({ tx }) => tx.goals[G].update({ title: 'Get fit', priority: 3 }).link({ todos: T })],
  [
    'all actions',
    ({ tx }) =>
      tx.goals[G]
        .create({ a: 1 })
        .update({ b: 2 })
        .merge({ c: { d: 3 } })
        .link({ todos: [T, U] })
        .unlink({ todos: T })
        .ruleParams({ k: 'v' })
        .delete(),
  ],
  ['upper-case ids', ({ tx }) => tx.goals[U].update({ a: 1 }).link({ owner: U })],
  ['call form', ({ tx }) => tx.goals(G).update({ a: 1 })],
  ['empty chunk', ({ tx }) => tx.goals[G]],
  ['empty array', () => []],
  ['nested arrays of chunks', ({ tx }) => [[tx.goals[G].delete()], [[tx.todos[T].update({ x: 1 })]], []]],
  ['empty attrs', ({ tx }) => tx.goals[G].update({})],
  ['nested attrs', ({ tx }) => tx.goals[G].update({ meta: { tags: ['a', 'b'], deep: { x: [1, [2, { y: null }]] } } })],
  ['undefined properties dropped', ({ tx }) => tx.goals[G].update({ a: undefined, b: 1, c: { d: undefined } })],
  ['dates', ({ tx }) => tx.goals[G].update({ at: new Date(0), list: [new Date(86_400_000)] })],
  ['negative zero', ({ tx }) => tx.goals[G].update({ z: -0, list: [-0], o: { z: -0 } })],
  ['unicode and escapes', ({ tx }) => tx.goals[G].update({ ключ: 'значение 🎉', quote: '"\\\n\t', '': 'empty key' })],
  ['integer-like keys', ({ tx }) => tx.goals[G].update({ b: 1, 2: 'two', a: 3, 1: 'one' })],
  ['own __proto__ key', ({ tx }) => tx.goals[G].update(withOwnProto({ polluted: true }))],
  ['own __proto__ key nested', ({ tx }) => tx.goals[G].update({ inner: withOwnProto(1) })],
  ['__proto__ from JSON.parse', ({ tx }) => tx.goals[G].update(JSON.parse('{"__proto__":{"x":1},"y":2}'))],
  ['inherited enumerable key', ({ tx }) => tx.goals[G].update(inheritedKey())],
  ['getter, hidden and symbol keys', ({ tx }) => tx.goals[G].update(withGetter())],
  ['null-prototype attrs', ({ tx }) => tx.goals[G].update(Object.assign(Object.create(null), { a: 1, b: { c: 2 } }))],
  [
    'shared sub-object (not a cycle)',
    ({ tx }) => {
      const shared = { s: 1 };
      return tx.goals[G].update({ a: shared, b: shared, c: [shared, shared] });
    },
  ],
  ['update with opts', ({ tx }) => tx.goals[G].update({ a: 1 }, { upsert: false })],
  ['merge with opts', ({ tx }) => tx.goals[G].merge({ a: { b: 1 } }, { upsert: true })],
  ['update with empty opts', ({ tx }) => tx.goals[G].update({ a: 1 }, {})],
  ['update with null upsert', ({ tx }) => tx.goals[G].update({ a: 1 }, { upsert: null })],
  ['update with falsy opts', ({ tx }) => tx.goals[G].update({ a: 1 }, 0)],
  ['create ignores opts', ({ tx }) => (tx.goals[G] as any).create({ a: 1 }, { upsert: false })],
  ['bad upsert', ({ tx }) => tx.goals[G].update({ a: 1 }, { upsert: 'yes' })],
  ['opts not an object', ({ tx }) => tx.goals[G].update({ a: 1 }, true)],
  ['bad attrs and bad opts', ({ tx }) => tx.goals[G].merge({ a: Number.NaN }, { upsert: 1 })],
  ['99 levels deep', ({ tx }) => tx.goals[G].update(nested(98) as object)],
  ['100 levels deep', ({ tx }) => tx.goals[G].update(nested(99) as object)],
  ['101 levels deep', ({ tx }) => tx.goals[G].update(nested(100) as object)],
  ['arrays 99 deep', ({ tx }) => tx.goals[G].update({ a: nestedArrays(97) })],
  ['arrays 100 deep', ({ tx }) => tx.goals[G].update({ a: nestedArrays(98) })],
  ['arrays 101 deep', ({ tx }) => tx.goals[G].update({ a: nestedArrays(99) })],
  ['10,000 levels deep', ({ tx }) => tx.goals[G].update(nested(10_000) as object)],
  ['NaN', ({ tx }) => tx.goals[G].update({ metrics: { score: Number.NaN } })],
  ['Infinity in array', ({ tx }) => tx.goals[G].update({ list: [1, Number.POSITIVE_INFINITY] })],
  ['function', ({ tx }) => tx.goals[G].update({ fn: () => 1 })],
  ['symbol value', ({ tx }) => tx.goals[G].update({ s: Symbol('x') })],
  ['bigint', ({ tx }) => tx.goals[G].update({ n: 10n })],
  ['Map', ({ tx }) => tx.goals[G].update({ m: new Map() })],
  ['class instance', ({ tx }) => tx.goals[G].update({ p: new Point() })],
  ['class instance as attrs', ({ tx }) => tx.goals[G].update(new Point())],
  ['array as attrs', ({ tx }) => tx.goals[G].update([1, 2])],
  ['string as attrs', ({ tx }) => tx.goals[G].update('title')],
  ['undefined attrs', ({ tx }) => tx.goals[G].update(undefined)],
  ['cycle', ({ tx }) => tx.goals[G].update({ c: cyclic() })],
  [
    'cycle through an array',
    ({ tx }) => {
      const list: unknown[] = [1];
      list.push({ back: list });
      return tx.goals[G].update({ list });
    },
  ],
  ['invalid Date', ({ tx }) => tx.goals[G].update({ d: new Date('nope') })],
  ['undefined in array', ({ tx }) => tx.goals[G].update({ list: [1, undefined] })],
  ['hole in array', ({ tx }) => tx.goals[G].update({ list: sparse() })],
  ['NUL in string', ({ tx }) => tx.goals[G].update({ title: 'a\u0000b' })],
  ['NUL in key', ({ tx }) => tx.goals[G].update({ 'a\u0000b': 1 })],
  ['NUL deep', ({ tx }) => tx.goals[G].update({ a: [{ b: ['ok', 'x\u0000'] }] })],
  ['odd key path', ({ tx }) => tx.goals[G].update({ 'a b': { c: Number.NaN } })],
  [
    'many problems at once',
    ({ tx }) => tx.goals[G].merge({ a: Number.NaN, b: { c: () => 1 }, d: [undefined], 'e\u0000': 1 }),
  ],
  ['ruleParams bad', ({ tx }) => tx.goals[G].ruleParams({ k: 1n })],
  ['link array of ids', ({ tx }) => tx.goals[G].link({ todos: [T, U], owner: G })],
  ['link empty array', ({ tx }) => tx.goals[G].link({ todos: [] })],
  ['link undefined target skipped', ({ tx }) => tx.goals[G].link({ todos: undefined, owner: T })],
  ['link lookup target', ({ tx, lookup }) => tx.goals[G].link({ owner: lookup('email', 'a@b.co') })],
  ['link lookup in array', ({ tx, lookup }) => tx.goals[G].link({ todos: [T, lookup('handle', 'x')] })],
  ['link object lookup form', ({ tx }) => tx.goals[G].link({ owner: { email: 'a@b.co' } })],
  ['link object lookup, two attrs', ({ tx }) => tx.goals[G].link({ owner: [{ email: 'a@b.co', handle: 'h' }] })],
  ['link lookup needing object form', ({ tx, lookup }) => tx.goals[G].link({ owner: lookup('a__b', 1) })],
  ['link bad id', ({ tx }) => tx.goals[G].link({ todos: 'not-a-uuid' })],
  ['link bad id in array', ({ tx }) => tx.goals[G].link({ todos: [T, 'nope', 3] })],
  ['link hole in array', ({ tx }) => tx.goals[G].link({ todos: sparseTargets() })],
  ['link empty label', ({ tx }) => tx.goals[G].link({ '': T })],
  ['link NUL label', ({ tx }) => tx.goals[G].link({ 'a\u0000': T })],
  ['link __proto__ label', ({ tx }) => tx.goals[G].link(JSON.parse(`{"__proto__":"${T}"}`))],
  ['link not an object', ({ tx }) => tx.goals[G].link(T)],
  ['link array', ({ tx }) => tx.goals[G].link([T])],
  ['unlink lookup', ({ tx, lookup }) => tx.goals[G].unlink({ owner: lookup('email', 'x@y.z') })],
  ['lookup id', ({ tx, lookup }) => tx.users[lookup('email', 'a@b.co')].update({ name: 'A' }).link({ goals: G })],
  ['lookup id method form', ({ tx }) => tx.users.lookup('email', 'a@b.co').merge({ n: 1 })],
  ['lookup id json value', ({ tx, lookup }) => tx.users[lookup('tags', ['a', { b: 1 }])].delete()],
  [
    'lookup id and lookup target',
    ({ tx, lookup }) => tx.users[lookup('email', 'a')].link({ pals: lookup('email', 'b') }),
  ],
  ['instant lookup string', ({ tx }) => tx.users['lookup__email__"a@b.co"'].update({ n: 1 })],
  ['lookup NaN', ({ lookup }) => lookup('email', Number.NaN)],
  ['lookup undefined', ({ lookup }) => lookup('email', undefined)],
  ['lookup empty attribute', ({ tx }) => tx.users.lookup('', 'x')],
  ['bad id', ({ tx }) => tx.goals['goal-1']],
  ['bad id call form', ({ tx }) => tx.goals(42)],
  ['__proto__ id', ({ tx }) => tx.goals.__proto__],
  ['uuid with a g', ({ tx }) => tx.goals['0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a6g']],
  ['uuid without dashes', ({ tx }) => tx.goals['0b0f7c1e3c1a4a439f4e1f2d3c4b5a60abcd']],
  ['uuid with fullwidth digit', ({ tx }) => tx.goals['０b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60']],
  ['namespace with NUL', ({ tx }) => tx('a\u0000b')[G].delete()],
  ['empty namespace', ({ tx }) => tx('')],
  ['not a chunk', () => [{ __ops: [] }]],
  ['not chunks, nested', ({ tx }) => [tx.goals[G].delete(), [1, [null, tx.goals[T].delete()]], 'x']],
  [
    'chunks of two namespaces',
    ({ tx }) => [tx.goals[G].update({ a: 1 }), tx.todos[T].update({ b: 2 }), tx.goals[T].delete()],
  ],
  [
    'schema: valid chunks',
    ({ txFor, i }) => {
      const typed = txFor(schemaOf(i));
      return [
        typed.goals[G].update({ title: 'x', priority: 1, due: new Date(0), meta: { any: [1] } }).link({ todos: T }),
        typed.todos[T].create({ text: 't' }),
        typed.users[U].update({ email: 'a@b.co' }),
      ];
    },
  ],
  [
    'schema: every kind of problem',
    ({ txFor, i, lookup }) => {
      const typed = txFor(schemaOf(i));
      return [
        typed.goals[G].update({ titel: 'x', priority: 'high', due: 'not a date' }),
        typed.todos[T].create({ done: true }),
        typed.goals[G].link({ todo: T, owner: lookup('name', 'n') }),
        typed.users[lookup('name', 'x')].delete(),
        typed.nope[G].delete(),
      ];
    },
  ],
  [
    'schema: problems across many chunks',
    ({ txFor, i, tx }) => {
      const typed = txFor(schemaOf(i));
      const chunks: unknown[] = [];
      for (let index = 0; index < 5; index++) chunks.push(typed.goals[G].update({ [`bad${index}`]: index }));
      chunks.push(tx.anything[G].update({ free: 1 }), typed.todos[T].update({ text: 1 }));
      return chunks;
    },
  ],
  [
    'schema: two schemas in one call',
    ({ txFor, i }) => {
      const one = txFor(schemaOf(i));
      const two = txFor(i.schema({ entities: { goals: i.entity({ other: i.number() }) } }));
      return [
        one.goals[G].update({ other: 1 }),
        two.goals[G].update({ title: 'x' }),
        one.goals[T].update({ title: 2 }),
      ];
    },
  ],
  [
    'schema: lookup id and lookup target checked',
    ({ txFor, i, lookup }) => {
      const typed = txFor(schemaOf(i));
      return [
        typed.users[lookup('email', 'a@b.co')].update({ name: 'A' }),
        typed.goals[G].link({ owner: lookup('email', 7) }),
      ];
    },
  ],
  ['schema: create misses required', ({ txFor, i }) => txFor(schemaOf(i)).users[U].create({ name: 'no email' })],
  [
    'long chain',
    ({ tx }) => {
      let chunk = tx.goals[G];
      for (let index = 0; index < 50; index++) chunk = chunk.update({ n: index });
      return chunk;
    },
  ],
  [
    'branches share their past',
    ({ tx }) => {
      const base = tx.goals[G].update({ a: 1 });
      return [base.link({ todos: T }), base.delete(), base];
    },
  ],
];

/** Runs one case: what compile, getSteps and String answer, or the error thrown. */
export function runCase(
  api: BuilderApi,
  build: (api: BuilderApi) => unknown,
  options?: { schema: unknown },
): CaseOutcome {
  try {
    const input = build(api);
    const steps = options ? api.compile(input as never, options) : api.compile(input as never);
    const single = input !== null && typeof input === 'object' && !Array.isArray(input);
    return {
      steps: JSON.parse(JSON.stringify(steps)),
      recorded: single ? JSON.parse(JSON.stringify(api.getSteps(input))) : null,
      text: single ? String(input) : null,
    };
  } catch (error) {
    const issues = (error as { issues?: CaseOutcome[] }).issues;
    return {
      error: (error as Error).name,
      ...(issues ? { issues: JSON.parse(JSON.stringify(issues)) } : {}),
    };
  }
}

/** The random chains of `test/support/arbitraries.ts`, built with one implementation (as in the differential test). */
export function buildChain(api: BuilderApi, spec: ChainSpec): unknown {
  const target = (ref: RefSpec): string => (ref.kind === 'id' ? ref.id : api.lookup(ref.attr, ref.value));
  const ns = api.tx[spec.namespace];
  let chunk: any;
  if (spec.ref.kind === 'lookup' && spec.access === 'method') chunk = ns.lookup(spec.ref.attr, spec.ref.value);
  else if (spec.access === 'call') chunk = ns(target(spec.ref));
  else chunk = ns[target(spec.ref)];
  for (const op of spec.ops) {
    switch (op.op) {
      case 'update':
      case 'merge':
        chunk = op.opts === undefined ? chunk[op.op](op.attrs) : chunk[op.op](op.attrs, op.opts);
        break;
      case 'create':
      case 'ruleParams':
        chunk = chunk[op.op](op.attrs);
        break;
      case 'link':
      case 'unlink': {
        const links = Object.fromEntries(
          Object.entries(op.links).map(([label, t]) => [label, Array.isArray(t) ? t.map(target) : target(t)]),
        );
        chunk = chunk[op.op](links);
        break;
      }
      case 'delete':
        chunk = chunk.delete();
        break;
    }
  }
  return chunk;
}
