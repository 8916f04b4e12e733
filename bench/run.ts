import { benchBatchImport, benchStreamingMemory } from './batch-import.ts';
import { benchBuildCompile } from './build-compile.ts';
import { benchClientOverhead } from './client-overhead.ts';
import { benchLiveQueries } from './live-queries.ts';
import { benchLongChain } from './long-chain.ts';
import { benchMemory } from './memory.ts';
import { benchServerHardening } from './server-hardening.ts';
import { benchServerImport } from './server-import.ts';
import { benchServerQuery } from './server-query.ts';
import { benchTypecheck } from './typecheck.ts';
import { reportedResults } from './harness.ts';
import { writeChart } from './chart/write-chart.ts';

/** Every benchmark by a short name; `npm run bench -- client server` runs only those whose name matches. */
const BENCHMARKS: [string, () => unknown][] = [
  ['build-compile', benchBuildCompile],
  ['long-chain', benchLongChain],
  ['memory', benchMemory],
  ['typecheck', benchTypecheck],
  ['client-overhead', benchClientOverhead],
  ['server-import', benchServerImport],
  ['server-query', benchServerQuery],
  ['server-hardening', benchServerHardening],
  ['live-queries', benchLiveQueries],
  ['batch-import', benchBatchImport],
  ['streaming-memory', benchStreamingMemory],
];

const only = process.argv.slice(2);
const chosen = BENCHMARKS.filter(([name]) => only.length === 0 || only.some((word) => name.includes(word)));
console.log(`instant-tx benchmarks on node ${process.version}; ratios from one process run\n`);
for (const [, run] of chosen) await run();
const path = writeChart(reportedResults(), { partial: chosen.length < BENCHMARKS.length });
console.log(`\nchart: ${path}`);
