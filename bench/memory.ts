import { tx } from '../src/index.ts';
import { report, uuids } from './harness.ts';

const COUNT = 100_000;

function retainedBytes(make: () => unknown): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = make();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (!kept) throw new Error('nothing kept');
  return (after - before) / COUNT;
}

/** 3. Heap retained per recorded step, vs the plain tuple itself. */
export function benchMemory(): void {
  const ids = uuids(COUNT);
  const tuple = retainedBytes(() => ids.map((id, index) => ['update', 'goals', id, { n: index }]));
  const chunk = retainedBytes(() => ids.map((id, index) => tx.goals[id]!.update({ n: index })));
  const id = ids[0]!;
  const tupleChain = retainedBytes(() => ids.map((_, index) => ['update', 'goals', id, { n: index }]));
  const chain = retainedBytes(() => {
    let current = tx.goals[id]!;
    for (let index = 0; index < COUNT; index++) current = current.update({ n: index });
    return current;
  });
  report('heap per step in a chain vs the tuple', chain / tupleChain, 'report', true,
    `${chain.toFixed(0)} B vs ${tupleChain.toFixed(0)} B per step`);
  report('heap per one-step chunk vs the tuple', chunk / tuple, 'report', true,
    `${chunk.toFixed(0)} B vs ${tuple.toFixed(0)} B per step`);
}
