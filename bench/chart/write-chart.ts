import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BenchResult } from './bench-result.ts';
import { benchSvg } from './bench-svg.ts';

const DOCS = join(import.meta.dirname, '..', '..', 'docs');

/** Where the chart and the data it is drawn from live (committed; the README shows the chart). */
export const CHART_PATHS = { svg: join(DOCS, 'bench.svg'), data: join(DOCS, 'bench.json') } as const;

/**
 * The results to chart: a full run's own, or for a partial run (`npm run bench -- client`) the last
 * saved results with this run's replacing those of the same name, in the saved order, new ones last.
 */
export function mergeResults(saved: readonly BenchResult[], fresh: readonly BenchResult[]): BenchResult[] {
  const byName = new Map(fresh.map((result) => [result.name, result]));
  const merged = saved.map((result) => byName.get(result.name) ?? result);
  const known = new Set(saved.map((result) => result.name));
  return [...merged, ...fresh.filter((result) => !known.has(result.name))];
}

/** Writes `docs/bench.json` and `docs/bench.svg` from this run's results; returns the chart's path. */
export function writeChart(fresh: readonly BenchResult[], options: { partial: boolean }): string {
  const saved: BenchResult[] =
    options.partial && existsSync(CHART_PATHS.data)
      ? (JSON.parse(readFileSync(CHART_PATHS.data, 'utf8')) as { results: BenchResult[] }).results
      : [];
  const results = options.partial ? mergeResults(saved, fresh) : [...fresh];
  const carried = results.length > fresh.length;
  const measured = new Date().toISOString().slice(0, 10);
  mkdirSync(dirname(CHART_PATHS.svg), { recursive: true });
  writeFileSync(CHART_PATHS.data, `${JSON.stringify({ node: process.version, measured, results }, null, 2)}\n`);
  const subtitle = `npm run bench, Node ${process.version}, ${measured}${carried ? ' (some benchmarks from earlier runs)' : ''}; bars scaled within each benchmark; ratios from one run`;
  writeFileSync(CHART_PATHS.svg, benchSvg(results, { title: 'instant-tx benchmarks', subtitle }));
  return CHART_PATHS.svg;
}
