import type { BenchResult, BenchValues } from './chart/bench-result.ts';
import { valuesFromDetail } from './chart/values-from-detail.ts';

export type { BenchValues } from './chart/bench-result.ts';

/** Median wall time of `fn` in milliseconds over `runs` runs, after `warmup` unmeasured ones. */
export function medianTime(fn: () => unknown, runs = 7, warmup = 2): number {
  for (let index = 0; index < warmup; index++) fn();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const collected: BenchResult[] = [];

/**
 * Prints one result line (what was compared, the ratio, the goal and whether it was met) and keeps it for
 * the chart. `values` are the measured figures behind the ratio (ours, the official's, the baseline's);
 * without them they are read from `detail` where it names them, else the chart shows the ratio alone.
 */
export function report(
  label: string,
  ratio: number,
  goal: string,
  met: boolean,
  detail: string,
  values?: BenchValues,
): void {
  console.log(`${met ? 'PASS' : 'MISS'}  ${label}: ${ratio.toFixed(2)}x  (goal ${goal}; ${detail})`);
  collected.push({ name: label, ratio, goal, met, detail, values: values ?? valuesFromDetail(detail, ratio, label) });
}

/** Every result reported so far in this process, in order. */
export function reportedResults(): readonly BenchResult[] {
  return collected;
}

/** `count` fresh v4 UUIDs, made before timing starts. */
export function uuids(count: number): string[] {
  return Array.from({ length: count }, () => crypto.randomUUID());
}
