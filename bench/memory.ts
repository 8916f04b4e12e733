import { execFileSync } from 'node:child_process';
import { report } from './harness.ts';

/** Heap bytes retained per step for one kind, measured in a fresh process so runs cannot disturb each other. */
function bytesPerStep(kind: string): number {
  const probe = new URL('./memory-probe.ts', import.meta.url).pathname;
  const output = execFileSync(process.execPath, ['--expose-gc', probe, kind], { encoding: 'utf8' });
  return Number.parseFloat(output);
}

/** 3. Heap retained per recorded step, vs the plain tuple itself. */
export function benchMemory(): void {
  const chain = bytesPerStep('chain');
  const tupleChain = bytesPerStep('tupleChain');
  const chunks = bytesPerStep('chunks');
  const tuples = bytesPerStep('tuples');
  report(
    'heap per step in a chain vs the tuple',
    chain / tupleChain,
    'report',
    true,
    `${chain.toFixed(0)} B vs ${tupleChain.toFixed(0)} B per step`,
  );
  report(
    'heap per one-step chunk vs the tuple',
    chunks / tuples,
    'report',
    true,
    `${chunks.toFixed(0)} B vs ${tuples.toFixed(0)} B per step`,
  );
}
