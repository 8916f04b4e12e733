import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUuid } from '../src/protocol/uuid.ts';

/** The oracle: what the hand-written check before the lookup table accepted, as a regex. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const oracle = (value: unknown): boolean => typeof value === 'string' && UUID.test(value);

const SAMPLE = '8aa64e4c-64f9-472e-8a61-3fa28870e6cb';
const DASHES = [8, 13, 18, 23];

function replaceAt(text: string, index: number, unit: string): string {
  return text.slice(0, index) + unit + text.slice(index + 1);
}

/** A UUID with a few of its code units replaced by anything (a surrogate half, a fullwidth digit, `g`, ...). */
const mutatedUuid = fc
  .tuple(
    fc.uuid(),
    fc.boolean(),
    fc.array(
      fc.tuple(fc.nat(35), fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(45, 47, 58, 64, 71, 96, 103))),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
  )
  .map(([uuid, upper, edits]) =>
    edits.reduce(
      (text, [index, code]) => replaceAt(text, index, String.fromCharCode(code)),
      upper ? uuid.toUpperCase() : uuid,
    ),
  );

describe('isUuid, the 65,536-entry table check, accepts exactly what the regex oracle accepts', () => {
  it('for random UUIDs in any case, their mutations, and random strings of any length', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uuid(),
          fc.uuid().map((uuid) => uuid.toUpperCase()),
          mutatedUuid,
          fc.string({ unit: 'binary', minLength: 34, maxLength: 38 }),
          fc.stringMatching(/^[0-9a-fA-F-]{34,38}$/),
        ),
        (text) => {
          expect(isUuid(text)).toBe(oracle(text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('for every UTF-16 code unit at a digit position and at a dash position', () => {
    for (const index of [0, DASHES[0]!, 35]) {
      for (let code = 0; code <= 0xffff; code++) {
        const text = replaceAt(SAMPLE, index, String.fromCharCode(code));
        if (isUuid(text) !== oracle(text)) throw new Error(`differs at ${index} for code unit ${code}`);
      }
    }
  });

  it('for every ASCII character at every position', () => {
    for (let index = 0; index < 36; index++) {
      for (let code = 0; code < 128; code++) {
        const text = replaceAt(SAMPLE, index, String.fromCharCode(code));
        expect(isUuid(text)).toBe(oracle(text));
      }
    }
  });

  it('for values that are not 36-character strings', () => {
    for (const value of [
      undefined,
      null,
      0,
      1n,
      {},
      [],
      SAMPLE.slice(1),
      `${SAMPLE}0`,
      new String(SAMPLE),
      `${SAMPLE}\u0000`,
    ]) {
      expect(isUuid(value)).toBe(false);
    }
    expect(isUuid(SAMPLE)).toBe(true);
    expect(isUuid(SAMPLE.toUpperCase())).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
  });
});
