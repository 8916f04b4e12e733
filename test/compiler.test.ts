import { describe, expect, it } from 'vitest';
import { compile, InstantValidationError, lookup, tx, type Step } from '../src/index.ts';

const g = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
const t = '6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

const golden: [string, () => object, Step[]][] = [
  ['create', () => tx.goals[g].create({ title: 'Get fit' }), [['create', 'goals', g, { title: 'Get fit' }]]],
  ['update', () => tx.goals[g].update({ title: 'Get fit' }), [['update', 'goals', g, { title: 'Get fit' }]]],
  [
    'strict update',
    () => tx.goals[g].update({ a: 1 }, { upsert: false }),
    [['update', 'goals', g, { a: 1 }, { upsert: false }]],
  ],
  ['update with empty opts', () => tx.goals[g].update({ a: 1 }, {}), [['update', 'goals', g, { a: 1 }, {}]]],
  [
    'merge',
    () => tx.goals[g].merge({ meta: { views: 2, old: null } }),
    [['merge', 'goals', g, { meta: { views: 2, old: null } }]],
  ],
  [
    'merge with opts',
    () => tx.goals[g].merge({ m: {} }, { upsert: true }),
    [['merge', 'goals', g, { m: {} }, { upsert: true }]],
  ],
  ['link one', () => tx.goals[g].link({ todos: t }), [['link', 'goals', g, { todos: t }]]],
  ['link many', () => tx.goals[g].link({ todos: [t, g] }), [['link', 'goals', g, { todos: [t, g] }]]],
  ['unlink', () => tx.goals[g].unlink({ todos: t }), [['unlink', 'goals', g, { todos: t }]]],
  ['delete', () => tx.goals[g].delete(), [['delete', 'goals', g, null]]],
  ['ruleParams', () => tx.docs[g].ruleParams({ knownDocId: g }), [['ruleParams', 'docs', g, { knownDocId: g }]]],
  [
    'lookup eid',
    () => tx.users[lookup('handle', 'stopa')].update({ name: 'S' }),
    [['update', 'users', ['handle', 'stopa'], { name: 'S' }]],
  ],
  [
    'lookup target',
    () => tx.goals[g].link({ owner: lookup('handle', 'stopa') }),
    [['link', 'goals', g, { owner: 'lookup__handle__"stopa"' }]],
  ],
  ['numeric lookup', () => tx.users[lookup('n', 7)].delete(), [['delete', 'users', ['n', 7], null]]],
  [
    'chain',
    () => tx.goals[g].update({ a: 1 }).link({ todos: t }).delete(),
    [
      ['update', 'goals', g, { a: 1 }],
      ['link', 'goals', g, { todos: t }],
      ['delete', 'goals', g, null],
    ],
  ],
];

describe('compile() golden steps', () => {
  it.each(golden)('%s', (_label, build, expected) => {
    expect(compile(build())).toEqual(expected);
  });

  it('flattens arrays of chunks in order', () => {
    const steps = compile([tx.goals[g].update({ a: 1 }), [tx.todos[t].delete(), tx.goals[g].link({ todos: t })]]);
    expect(steps.map((step) => step[0])).toEqual(['update', 'delete', 'link']);
  });

  it('returns JSON-safe data that round-trips unchanged', () => {
    const steps = compile(tx.goals[g].update({ at: new Date(0), n: [1, { x: null }] }).link({ o: lookup('e', 'x') }));
    expect(JSON.parse(JSON.stringify(steps))).toEqual(steps);
  });

  it('is deterministic: the same chunk compiles to equal output every time', () => {
    const chunk = tx.goals[g].update({ a: 1 }).link({ x: lookup('e', 1) });
    expect(compile(chunk)).toEqual(compile(chunk));
  });

  it('rejects things that are not chunks, naming where they are', () => {
    const error = (() => {
      try {
        compile([tx.goals[g].delete(), undefined as never, { __ops: [] }]);
      } catch (caught) {
        return caught as InstantValidationError;
      }
    })();
    expect(error).toBeInstanceOf(InstantValidationError);
    expect(error!.issues.map((issue) => issue.path)).toEqual(['chunks[1]', 'chunks[2]']);
    expect(error!.issues[1]!.message).toMatch(/@instantdb\/admin chunk/);
  });
});
