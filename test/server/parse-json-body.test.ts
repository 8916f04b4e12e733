import { describe, expect, it } from 'vitest';
import { parseJsonBody } from '../../src/server/http/parse-json-body.ts';

describe('parseJsonBody', () => {
  it('keeps the digits of integers beyond 2^53, keyed by the double they became', () => {
    const { value, numberText } = parseJsonBody('{"a": 9999999999999999999999, "b": [-12345678901234567890], "c": 1}');
    expect(value).toEqual({ a: 1e22, b: [-12345678901234567000], c: 1 });
    expect(numberText.get(1e22)).toBe('9999999999999999999999');
    expect(numberText.get(-12345678901234567890)).toBe('-12345678901234567890');
    expect(numberText.size).toBe(2);
  });

  it('leaves safe integers, fractions, exponents and digits inside strings alone', () => {
    const { numberText } = parseJsonBody(
      '{"a": 9007199254740991, "b": 1.5e300, "c": "99999999999999999999", "d": 1e22}',
    );
    expect(numberText.size).toBe(0);
  });

  it('throws on malformed JSON like JSON.parse, on both paths', () => {
    expect(() => parseJsonBody('{')).toThrow(SyntaxError);
    expect(() => parseJsonBody('{"a": 99999999999999999999,')).toThrow(SyntaxError);
  });
});
