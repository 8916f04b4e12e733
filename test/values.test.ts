import { describe, expect, it } from 'vitest';
import { compile, InstantValidationError, lookup, tx } from '../src/index.ts';

const goalId = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
const base = `goals[${goalId}].update`;

class Point {
  readonly x = 1;
}
const cyclic: Record<string, unknown> = { a: 1 };
cyclic['self'] = cyclic;

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
    const steps = compile(tx.goals[goalId].update({ due: new Date(Date.UTC(2025, 2, 1)), gone: undefined, nested: { at: new Date(0), x: undefined } }));
    expect(steps).toEqual([['update', 'goals', goalId, { due: '2025-03-01T00:00:00.000Z', nested: { at: '1970-01-01T00:00:00.000Z' } }]]);
    expect(Object.keys(steps[0]![3] as object)).toEqual(['due', 'nested']);
  });

  it('keeps null, nested arrays, unicode and a __proto__ key as data', () => {
    const attrs = JSON.parse('{"n": null, "list": [[1, "é"], {"k": true}], "__proto__": {"polluted": true}}');
    const [step] = compile(tx.goals[goalId].update(attrs));
    expect(JSON.stringify(step![3])).toBe('{"n":null,"list":[[1,"é"],{"k":true}],"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('turns -0 into 0, the only number JSON can send', () => {
    const [step] = compile(tx.goals[goalId].update({ z: -0 }));
    expect(Object.is((step![3] as { z: number }).z, 0)).toBe(true);
  });
});
