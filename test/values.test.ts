import { describe, expect, it } from 'vitest';
import { toSteps } from '../src/client/transact-input.ts';
import { compile, getSteps, InstantValidationError, lookup, MAX_JSON_DEPTH, tx, type JsonInput } from '../src/index.ts';

const goalId = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
const base = `goals[${goalId}].update`;

class Point {
  readonly x = 1;
}
const cyclic: Record<string, unknown> = { a: 1 };
cyclic.self = cyclic;

const rejected: [string, unknown, string, RegExp][] = [
  ['NaN', { metrics: { score: NaN } }, `${base}.metrics.score`, /NaN is not a JSON number/],
  ['Infinity', { score: Infinity }, `${base}.score`, /Infinity is not a JSON number/],
  ['-Infinity', { score: -Infinity }, `${base}.score`, /-Infinity is not a JSON number/],
  ['a function', { fn: () => 1 }, `${base}.fn`, /a function is not JSON data/],
  ['a symbol', { s: Symbol('x') }, `${base}.s`, /a symbol is not JSON data/],
  ['a bigint', { n: 10n }, `${base}.n`, /a bigint is not JSON data/],
  ['a Map', { m: new Map() }, `${base}.m`, /a Map instance is not JSON data/],
  ['a class instance', { p: new Point() }, `${base}.p`, /a Point instance is not JSON data/],
  ['a cycle', { c: cyclic }, `${base}.c.self`, /cyclic reference/],
  ['an invalid Date', { d: new Date('nope') }, `${base}.d`, /invalid Date/],
  ['undefined in an array', { list: [1, undefined] }, `${base}.list[1]`, /undefined in an array/],
  ['an odd key', { 'a b': { c: NaN } }, `${base}["a b"].c`, /NaN/],
];

describe('values that JSON would corrupt are rejected with their path', () => {
  it.each(rejected)('%s', (_label, attrs, path, message) => {
    let error: unknown;
    try {
      tx.goals[goalId].update(attrs as Record<string, never>);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InstantValidationError);
    const issue = (error as InstantValidationError).issues[0]!;
    expect(issue.path).toBe(path);
    expect(issue.message).toMatch(message);
    expect((error as Error).message).toContain(path);
  });

  it('reports every bad value of one call at once', () => {
    try {
      tx.goals[goalId].merge({ a: NaN, b: { c: () => 1 } } as never);
      expect.unreachable();
    } catch (error) {
      expect((error as InstantValidationError).issues.map((issue) => issue.path)).toEqual([
        `goals[${goalId}].merge.a`,
        `goals[${goalId}].merge.b.c`,
      ]);
    }
  });

  it('checks lookup values and ruleParams too', () => {
    expect(() => lookup('email', NaN)).toThrow(/lookup\("email"\)\.value: NaN/);
    expect(() => lookup('email', undefined)).toThrow(/cannot be undefined/);
    expect(() => tx.goals[goalId].ruleParams({ k: 1n } as never)).toThrow(/ruleParams\.k: a bigint/);
  });

  it('rejects attrs that are not plain objects', () => {
    expect(() => tx.goals[goalId].update(null as never)).toThrow(/expected a plain object, got null/);
    expect(() => tx.goals[goalId].update([1] as never)).toThrow(/got an array/);
    expect(() => tx.goals[goalId].update({}, { upsert: 'no' } as never)).toThrow(/upsert: expected a boolean/);
  });
});

describe('values JSON can carry are written as JSON would write them', () => {
  it('writes Dates as ISO strings and drops undefined properties', () => {
    const steps = compile(
      tx.goals[goalId].update({
        due: new Date(Date.UTC(2025, 2, 1)),
        gone: undefined,
        nested: { at: new Date(0), x: undefined },
      }),
    );
    expect(steps).toEqual([
      ['update', 'goals', goalId, { due: '2025-03-01T00:00:00.000Z', nested: { at: '1970-01-01T00:00:00.000Z' } }],
    ]);
    expect(Object.keys(steps[0]![3] as object)).toEqual(['due', 'nested']);
  });

  it('keeps null, nested arrays, unicode and a __proto__ key as data', () => {
    const attrs = JSON.parse('{"n": null, "list": [[1, "é"], {"k": true}], "__proto__": {"polluted": true}}');
    const [step] = compile(tx.goals[goalId].update(attrs));
    expect(JSON.stringify(step![3])).toBe('{"n":null,"list":[[1,"é"],{"k":true}],"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('turns -0 into 0, the only number JSON can send', () => {
    const [step] = compile(tx.goals[goalId].update({ z: -0 }));
    expect(Object.is((step![3] as { z: number }).z, 0)).toBe(true);
  });
});

/** `{a: {a: … {a: 1}}}` with `levels` objects, built without recursion. */
function deepObject(levels: number): JsonInput {
  let value: JsonInput = 1;
  for (let level = 0; level < levels; level++) value = { a: value };
  return value;
}

/** `[[…[1]…]]` with `levels` arrays. */
function deepArray(levels: number): JsonInput {
  let value: JsonInput = 1;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}

function validationError(fn: () => unknown): InstantValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InstantValidationError) return error;
    throw error;
  }
  throw new Error('expected an InstantValidationError');
}

const userId = '6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

describe(`values nested deeper than MAX_JSON_DEPTH (${MAX_JSON_DEPTH} levels, counting the step) are refused, never a RangeError`, () => {
  const deepCases: [string, () => unknown][] = [
    ['update, objects', () => tx.goals[goalId].update({ x: deepObject(10_000) })],
    ['update, arrays', () => tx.goals[goalId].update({ x: deepArray(10_000) })],
    ['merge', () => tx.goals[goalId].merge({ x: deepObject(10_000) })],
    ['create', () => tx.goals[goalId].create({ x: deepArray(10_000) })],
    ['update with opts', () => tx.goals[goalId].update({ x: deepObject(10_000) }, { upsert: true })],
    ['ruleParams', () => tx.goals[goalId].ruleParams({ x: deepObject(10_000) })],
    ['lookup()', () => lookup('email', deepObject(10_000))],
    ['ns.lookup()', () => tx.users.lookup('email', deepArray(10_000))],
    ['a lookup string as id', () => tx.users[`lookup__email__${'['.repeat(10_000)}1${']'.repeat(10_000)}`]],
    [
      'a lookup string as link target',
      () => tx.goals[goalId].link({ owner: `lookup__email__${'['.repeat(10_000)}1${']'.repeat(10_000)}` }),
    ],
    ['an {attr: value} link target', () => tx.goals[goalId].link({ owner: { email: deepObject(10_000) } as never })],
    [
      'change(), current entity',
      () => tx.goals[goalId].change({ x: deepObject(10_000) }, (draft) => void (draft.x = 1)),
    ],
    [
      'change(), new value',
      () =>
        tx.goals[goalId].change({ x: 1 } as Record<string, unknown>, (draft) => void (draft.x = deepObject(10_000))),
    ],
  ];

  it.each(deepCases)('%s', (_label, fn) => {
    const error = validationError(fn);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.message).toMatch(new RegExp(`nested more than ${MAX_JSON_DEPTH} levels deep`));
    expect(error.issues[0]!.path.length).toBeLessThan(2_000);
  });

  it('names the path of the first level too deep; an attribute value may nest 98 levels (step 1, attrs 2)', () => {
    expect(() => tx.goals[goalId].update({ x: deepObject(MAX_JSON_DEPTH - 2) })).not.toThrow();
    expect(() => tx.goals[goalId].update({ x: deepArray(MAX_JSON_DEPTH - 2) })).not.toThrow();
    const error = validationError(() => tx.goals[goalId].update({ x: deepObject(MAX_JSON_DEPTH - 1) }));
    expect(error.issues[0]!.path).toBe(`${base}.x${'.a'.repeat(MAX_JSON_DEPTH - 2)}`);
    const arrays = validationError(() => tx.goals[goalId].update({ x: deepArray(MAX_JSON_DEPTH - 1) }));
    expect(arrays.issues[0]!.path).toBe(`${base}.x${'[0]'.repeat(MAX_JSON_DEPTH - 2)}`);
  });

  it('accepts in the builder what it compiles to steps that the raw-step path accepts', () => {
    const steps = compile([
      tx.goals[goalId].update({ x: deepObject(MAX_JSON_DEPTH - 2) }),
      tx.users[lookup('email', deepArray(MAX_JSON_DEPTH - 2))].delete(),
      tx.goals[goalId].link({ owner: lookup('a__b', deepArray(MAX_JSON_DEPTH - 4)) }),
    ]);
    expect(() => toSteps(JSON.parse(JSON.stringify(steps)), undefined)).not.toThrow();
  });
});

describe('strings with a NUL character are refused before sending (Postgres text cannot hold them)', () => {
  const nulCases: [string, () => unknown, string][] = [
    ['a value (the flat fast path)', () => tx.goals[goalId].update({ title: 'a\u0000b' }), `${base}.title`],
    [
      'a nested value',
      () => tx.goals[goalId].merge({ meta: { tags: ['ok', '\u0000'] } }),
      `goals[${goalId}].merge.meta.tags[1]`,
    ],
    ['an attribute name', () => tx.goals[goalId].update({ 'ti\u0000tle': 'x' }), `${base}["ti\\u0000tle"]`],
    ['a nested key', () => tx.goals[goalId].update({ meta: { 'k\u0000': 1 } }), `${base}.meta["k\\u0000"]`],
    ['ruleParams', () => tx.goals[goalId].ruleParams({ code: '\u0000' }), `goals[${goalId}].ruleParams.code`],
    ['a lookup value', () => lookup('email', 'a\u0000@b.co'), 'lookup("email").value'],
    ['a lookup attribute', () => lookup('em\u0000ail', 'a@b.co'), 'lookup("em\\u0000ail")'],
    [
      'an escaped NUL in a lookup string',
      () => tx.users['lookup__email__"a\\u0000b"'],
      'users[lookup__email__"a\\u0000b"].value',
    ],
    ['a link label', () => tx.goals[goalId].link({ 'to\u0000dos': userId }), `goals[${goalId}].link["to\\u0000dos"]`],
    ['a namespace name', () => tx('go\u0000als'), 'tx("go\\u0000als")'],
  ];

  it.each(nulCases)('%s', (_label, fn, path) => {
    const error = validationError(fn);
    expect(error.issues.map((issue) => issue.path)).toEqual([path]);
    expect(error.issues[0]!.message).toMatch(/NUL character/);
  });
});

describe('1e309 (Infinity) never reaches the wire', () => {
  it('is refused as a value, in a lookup and in a lookup string', () => {
    expect(validationError(() => tx.goals[goalId].update({ n: 1e309 })).issues[0]!.message).toMatch(
      /Infinity is not a JSON number/,
    );
    expect(validationError(() => lookup('n', 1e309)).issues[0]!.path).toBe('lookup("n").value');
    expect(validationError(() => tx.users.lookup__n__1e309).issues[0]!.message).toMatch(
      /Infinity is not a JSON number/,
    );
    expect(validationError(() => tx.goals[goalId].link({ owner: 'lookup__n__-1e309' })).issues[0]!.message).toMatch(
      /-Infinity/,
    );
  });

  it('is refused in ready-made steps parsed from JSON', () => {
    const steps = JSON.parse(`[["update", "goals", "${goalId}", {"n": 1e309}]]`) as object[];
    expect(validationError(() => toSteps(steps, undefined)).issues[0]!.path).toBe('steps[0][3].n');
  });

  it('leaves lookup values from strings frozen like any recorded value', () => {
    const [step] = getSteps(tx.users['lookup__tags__["a",{"b":1}]'].delete());
    const id = step![2] as unknown as { value: unknown[] };
    expect(Object.isFrozen(id.value)).toBe(true);
    expect(Object.isFrozen(id.value[1])).toBe(true);
  });
});
