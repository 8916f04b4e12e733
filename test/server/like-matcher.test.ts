import { describe, expect, it } from 'vitest';
import { compileLike } from '../../src/server/query/like-matcher.ts';

describe('compileLike', () => {
  const cases: [pattern: string, text: string, matches: boolean][] = [
    ['joe', 'joe', true],
    ['joe', 'joey', false],
    ['al%', 'alex', true],
    ['%Monte Cristo', 'The Count of Monte Cristo', true],
    ['%moop%', 'stopa', false],
    ['%', '', true],
    ['%%', 'anything', true],
    ['_', 'a', true],
    ['_', '', false],
    ['_', 'ab', false],
    ['a_c', 'abc', true],
    ['a%b%c', 'a-b-c', true],
    ['a%b%c', 'acb', false],
    ['%ab%ab%', 'abab', true],
    ['%ab%ab%', 'aba', false],
    ['ab%ba', 'aba', false],
    ['%a%', 'line one\nline a', true],
    // Escapes: \% and \_ are literal, \\ is one backslash.
    ['100\\%', '100%', true],
    ['100\\%', '1000', false],
    ['a\\_b', 'a_b', true],
    ['a\\_b', 'axb', false],
    ['a\\\\b', 'a\\b', true],
    ['%\\%%', 'fifty % off', true],
    ['%\\%%', 'fifty off', false],
    // `_` is one character, also outside the BMP.
    ['_', '😀', true],
    ['a_b', 'a😀b', true],
  ];
  for (const [pattern, text, matches] of cases) {
    it(`${JSON.stringify(pattern)} ${matches ? 'matches' : 'does not match'} ${JSON.stringify(text)}`, () => {
      expect(compileLike(pattern, false)(text)).toBe(matches);
    });
  }

  it('ILIKE lower-cases both sides', () => {
    expect(compileLike('THE%', true)('the count')).toBe(true);
    expect(compileLike('the%', false)('The count')).toBe(false);
  });

  it('matches a pathological pattern over a long text in linear time (no backtracking)', () => {
    const text = 'a'.repeat(200_000);
    const started = performance.now();
    expect(compileLike('%a%a%a%a%a%a%a%b', false)(text)).toBe(false);
    expect(compileLike('%a%a%a%a%a%a%a%b', false)(`${text}b`)).toBe(true);
    expect(compileLike('%a_a_a_a_a_a_a_b%', false)(text)).toBe(false);
    expect(compileLike('%aaaaaaaaaaaaaaaaaaab%', false)(text)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
