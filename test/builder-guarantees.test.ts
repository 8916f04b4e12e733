import util from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyJsonObject } from '../src/builder/copy-json.ts';
import { copyPlainObject } from '../src/builder/fast-copy.ts';
import { toRequestSteps, toSteps } from '../src/client/transact-input.ts';
import { compileForRequest } from '../src/compiler/index.ts';
import type { ValidationIssue } from '../src/errors/validation-issue.ts';
import { compile, getSteps, InstantValidationError, lookup, MAX_JSON_DEPTH, tx, type TxChunk } from '../src/index.ts';

const G = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
const T = '6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

/** Every object and array reachable from `value` (the value included) is frozen. */
function isDeepFrozen(value: unknown, seen = new Set<object>()): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return true;
  seen.add(value);
  if (!Object.isFrozen(value)) return false;
  return Object.values(value).every((item) => isDeepFrozen(item, seen));
}

function chunkWithEverything() {
  return tx.goals[G]
    .update({ title: 'x', meta: { tags: ['a'], at: new Date(0) } }, { upsert: false })
    .merge({ m: { n: [1, { o: 2 }] } })
    .create({ c: [[1]] })
    .link({ todos: [T], owner: lookup('email', 'a@b.co') })
    .unlink({ todos: T })
    .ruleParams({ k: { v: 1 } })
    .delete();
}

describe('values are copied when a step is recorded', () => {
  it('ignores every later change to the objects passed in', () => {
    const attrs = { title: 'Get fit', meta: { tags: ['health'], at: new Date(0) } };
    const opts = { upsert: false };
    const merge = { metrics: { scores: [1, 2] } };
    const links = { todos: [T], owner: G };
    const params = { code: { value: 'x' } };
    const chunk = tx.goals[G].update(attrs, opts).merge(merge).link(links).ruleParams(params);
    const expected = [
      [
        'update',
        'goals',
        G,
        { title: 'Get fit', meta: { tags: ['health'], at: '1970-01-01T00:00:00.000Z' } },
        { upsert: false },
      ],
      ['merge', 'goals', G, { metrics: { scores: [1, 2] } }],
      ['link', 'goals', G, { todos: [T], owner: G }],
      ['ruleParams', 'goals', G, { code: { value: 'x' } }],
    ];
    attrs.title = 'changed';
    attrs.meta.tags.push('mutated');
    attrs.meta.at.setTime(1e12);
    (attrs as Record<string, unknown>).added = 1;
    opts.upsert = true;
    merge.metrics.scores[0] = 99;
    links.todos.push(G);
    links.owner = T;
    params.code.value = 'y';
    expect(compile(chunk)).toEqual(expected);
    expect(compileForRequest(chunk)).toEqual(expected);
    expect(JSON.parse(JSON.stringify(chunk))).toEqual(expected);
  });

  it('keeps the value of a getter as it was when recorded', () => {
    let calls = 0;
    const attrs = {
      get n() {
        calls++;
        return calls;
      },
    };
    const chunk = tx.goals[G].update(attrs);
    const recorded = calls;
    expect(compile(chunk)).toEqual([['update', 'goals', G, { n: recorded }]]);
    expect(compile(chunk)).toEqual([['update', 'goals', G, { n: recorded }]]);
  });
});

describe('steps handed out are fresh, deep-frozen tuples', () => {
  it('from compile(), getSteps(), toJSON() and the ready-made-steps path', () => {
    const chunk = chunkWithEverything();
    for (const steps of [
      compile(chunk),
      getSteps(chunk),
      (chunk as unknown as TxChunk).toJSON(),
      toSteps([chunk], undefined),
    ]) {
      expect(steps).toHaveLength(7);
      for (const step of steps) expect(isDeepFrozen(step)).toBe(true);
    }
    expect(Object.isFrozen(getSteps(chunk))).toBe(true);
  });

  it('makes new tuples on every call, equal to the last', () => {
    const chunk = tx.goals[G].update({ a: { b: 1 } }).link({ todos: T });
    const first = getSteps(chunk);
    const second = getSteps(chunk);
    expect(second).not.toBe(first);
    expect(second[0]).not.toBe(first[0]);
    expect(second).toEqual(first);
    expect(compile(chunk)).not.toBe(compile(chunk));
  });

  it('refuses changes to what it handed out, and the chunk keeps its steps', () => {
    const chunk = tx.goals[G].update({ a: { b: [1] } });
    const [step] = compile(chunk) as unknown as [unknown[]];
    expect(() => {
      step[0] = 'delete';
    }).toThrow(TypeError);
    expect(() => {
      (step[3] as { a: { b: number[] } }).a.b.push(2);
    }).toThrow(TypeError);
    expect(() => {
      (getSteps(chunk) as unknown[]).push(1);
    }).toThrow(TypeError);
    expect(compile(chunk)).toEqual([['update', 'goals', G, { a: { b: [1] } }]]);
  });

  it('gives the same steps however the chunk was read before', () => {
    const chunk = chunkWithEverything();
    const expected = JSON.parse(JSON.stringify(compile(chunkWithEverything())));
    expect(JSON.parse(JSON.stringify(compileForRequest(chunk)))).toEqual(expected); // unfrozen first
    expect(compile(chunk)).toEqual(expected); // then frozen in place
    expect(JSON.parse(JSON.stringify(toRequestSteps(chunk, undefined)))).toEqual(expected);
    expect(util.inspect(chunk, { depth: 5 })).toContain("'ruleParams'");
    expect(String(chunk)).toBe(`TxChunk goals[${G}]: update, merge, create, link, unlink, ruleParams, delete`);
    expect(String(tx.goals[G])).toBe(`TxChunk goals[${G}]: (no steps)`);
  });

  it('writes lookups in wire form on the request path too', () => {
    const chunk = tx.users[lookup('email', 'a@b.co')].link({ pals: [T, lookup('email', 'b')] });
    const expected = [['link', 'users', ['email', 'a@b.co'], { pals: [T, 'lookup__email__"b"'] }]];
    expect(compileForRequest([chunk, tx.goals[G].delete()])).toEqual([...expected, ['delete', 'goals', G, null]]);
    expect(compile(chunk)).toEqual(expected);
  });
});

describe('chains stay O(1) per call and never recurse per step', () => {
  it('reads a 100,000-step chain without overflowing the stack', () => {
    let chunk = tx.goals[G];
    for (let index = 0; index < 100_000; index++) chunk = chunk.update({ n: index });
    expect(compileForRequest(chunk)).toHaveLength(100_000);
    const steps = getSteps(chunk);
    expect(steps[99_999]).toEqual(['update', 'goals', G, { n: 99_999 }]);
    expect(String(chunk).length).toBeGreaterThan(100_000);
  });
});

/** The checked walk's answer for attrs: the copy, or the issues. */
function checkedCopy(value: unknown): { copy: unknown } | { issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const copy = copyJsonObject(value, () => 'p', issues);
  return issues.length > 0 || copy === undefined ? { issues } : { copy };
}

const oddKey = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.constantFrom('__proto__', 'constructor', 'a\u0000b', '', '0', 'toString'),
);

/** Anything a caller might pass: JSON, and the values JSON would corrupt. */
const anyValue = fc.anything({
  key: oddKey,
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withNullPrototype: true,
  withObjectString: true,
  withSet: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

/** Mostly JSON, nested, with now and then a leaf JSON would corrupt (or a Date, -0, undefined). */
const leaf = fc.oneof(
  { weight: 20, arbitrary: fc.oneof(fc.string({ maxLength: 4 }), fc.double(), fc.boolean(), fc.constant(null)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      Number.NaN,
      Number.NEGATIVE_INFINITY,
      -0,
      undefined,
      new Date(0),
      new Date(Number.NaN),
      'x\u0000',
      10n,
      new Map(),
      () => 1,
      Symbol('s'),
      Object.create(null),
    ),
  },
);
const jsonish: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(oddKey, tie('value'), { maxKeys: 3 }),
  ),
})).value;

function nestedMix(levels: number, leaf: unknown): unknown {
  let value = leaf;
  for (let index = 0; index < levels; index++) value = index % 3 === 0 ? [value] : { k: value };
  return value;
}

describe('the one-pass copy agrees with the checked walk', () => {
  it('takes a value as is only when the checked walk copies it to the same result', () => {
    fc.assert(
      fc.property(fc.dictionary(oddKey, fc.oneof(anyValue, jsonish), { maxKeys: 5 }), (attrs) => {
        const fast = copyPlainObject(attrs, 2);
        if (fast === undefined) return;
        const checked = checkedCopy(attrs);
        expect(checked).toEqual({ copy: fast });
      }),
      { numRuns: 3000 },
    );
  });

  it('and the builder answers as the checked walk does: same copy, or the same issues', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, fc.dictionary(oddKey, jsonish, { maxKeys: 4 })), (attrs) => {
        const checked = checkedCopy(attrs);
        let outcome: { copy: unknown } | { issues: readonly ValidationIssue[] };
        try {
          outcome = { copy: getSteps(tx.goals[G].update(attrs as never))[0]![3] };
        } catch (error) {
          expect(error).toBeInstanceOf(InstantValidationError);
          outcome = { issues: (error as InstantValidationError).issues };
        }
        if ('issues' in checked) {
          const prefix = `goals[${G}].update`;
          expect('issues' in outcome && outcome.issues.map((issue) => issue.path)).toEqual(
            checked.issues.map((issue) => prefix + issue.path.slice(1)),
          );
        } else expect(outcome).toEqual(checked);
      }),
      { numRuns: 3000 },
    );
  });

  it('stops at the same depth, whatever mix of arrays and objects', () => {
    for (let levels = MAX_JSON_DEPTH - 4; levels <= MAX_JSON_DEPTH + 2; levels++) {
      for (const leaf of [1, Number.NaN, {}, []]) {
        const attrs = { v: nestedMix(levels, leaf) };
        const fast = copyPlainObject(attrs, 2);
        const checked = checkedCopy(attrs);
        if (fast !== undefined) expect(checked).toEqual({ copy: fast });
        else expect(checked).toHaveProperty('issues');
      }
    }
  });
});

describe('errors name the path even when the one-pass copy had got far', () => {
  it('names a bad value after good ones, deep in an array', () => {
    const attrs = { a: 1, b: 'ok', c: { d: [1, 2, { e: [true, Number.NaN] }] } };
    expect(() => tx.goals[G].update(attrs)).toThrow(`goals[${G}].update.c.d[2].e[1]: NaN is not a JSON number`);
  });

  it('names a bad link target after good ones, and sends nothing half-checked', () => {
    let error: unknown;
    try {
      tx.goals[G].link({ owner: G, todos: [T, T, 'nope'] });
    } catch (caught) {
      error = caught;
    }
    expect((error as InstantValidationError).issues.map((issue) => issue.path)).toEqual([`goals[${G}].link.todos[2]`]);
  });

  it('names the chunk that is not one, however deep in the input', () => {
    expect(() => compile([tx.goals[G].delete(), [[tx.goals[T].delete(), 7]]] as never)).toThrow(
      /chunks\[1\]\[0\]\[1\]: expected a chunk made by tx/,
    );
    expect(() => compileForRequest([[{}]] as never)).toThrow(/chunks\[0\]\[0\]: expected a chunk/);
  });
});
