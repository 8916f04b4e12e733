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

/** Prints one result line: what was compared, the ratio, the goal and whether it was met. */
export function report(label: string, ratio: number, goal: string, met: boolean, detail: string): void {
  console.log(`${met ? 'PASS' : 'MISS'}  ${label}: ${ratio.toFixed(2)}x  (goal ${goal}; ${detail})`);
}

/** `count` fresh v4 UUIDs, made before timing starts. */
export function uuids(count: number): string[] {
  return Array.from({ length: count }, () => crypto.randomUUID());
}
