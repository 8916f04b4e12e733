import { describe, expect, it } from 'vitest';
import { compile, tx } from '../src/index.ts';

const g = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';

function chainTime(length: number): number {
  const start = performance.now();
  let chunk = tx.goals[g];
  for (let index = 0; index < length; index++) chunk = chunk.update({ n: index });
  const steps = compile(chunk);
  const elapsed = performance.now() - start;
  expect(steps).toHaveLength(length);
  return elapsed;
}

/** The fastest run: other test workers share the CPU, and interference only ever adds time. */
function fastest(values: number[]): number {
  return Math.min(...values);
}

describe('a chain step costs O(1)', () => {
  it('16,000 calls take about 4x the time of 4,000 (quadratic would be 16x)', () => {
    chainTime(16_000);
    const short = fastest(Array.from({ length: 9 }, () => chainTime(4_000)));
    const long = fastest(Array.from({ length: 9 }, () => chainTime(16_000)));
    expect(long / short).toBeLessThan(9);
  });

  it('keeps the full 16,000-step chain in order', () => {
    let chunk = tx.goals[g];
    for (let index = 0; index < 16_000; index++) chunk = chunk.update({ n: index });
    const steps = compile(chunk);
    expect(steps[0]![3]).toEqual({ n: 0 });
    expect(steps[15_999]![3]).toEqual({ n: 15_999 });
  });
});
