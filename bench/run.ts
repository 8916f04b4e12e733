import { benchBatchImport, benchStreamingMemory } from './batch-import.ts';
import { benchBuildCompile } from './build-compile.ts';
import { benchClientOverhead } from './client-overhead.ts';
import { benchLongChain } from './long-chain.ts';
import { benchMemory } from './memory.ts';
import { benchServerImport } from './server-import.ts';
import { benchServerQuery } from './server-query.ts';
import { benchTypecheck } from './typecheck.ts';

console.log(`instant-tx benchmarks on node ${process.version}; ratios from one process run\n`);
benchBuildCompile();
benchLongChain();
benchMemory();
benchTypecheck();
await benchClientOverhead();
await benchServerImport();
await benchServerQuery();
await benchBatchImport();
await benchStreamingMemory();
