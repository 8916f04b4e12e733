// Run as: node --expose-gc bench/memory-probe.ts <kind>; prints heap bytes retained per step.
import { tx } from '../src/index.ts';

const COUNT = 100_000;
const ID = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
const ids = Array.from({ length: COUNT }, () => crypto.randomUUID());

const kinds: Record<string, () => unknown> = {
  tuples: () => ids.map((id, index) => ['update', 'goals', id, { n: index }]),
  chunks: () => ids.map((id, index) => tx.goals[id]!.update({ n: index })),
  tupleChain: () => ids.map((_, index) => ['update', 'goals', ID, { n: index }]),
  chain: () => {
    let current = tx.goals[ID]!;
    for (let index = 0; index < COUNT; index++) current = current.update({ n: index });
    return current;
  },
};

const gc = (globalThis as { gc?: () => void }).gc!;
const make = kinds[process.argv[2]!]!;
make();
gc();
gc();
const before = process.memoryUsage().heapUsed;
const kept = make();
gc();
gc();
const after = process.memoryUsage().heapUsed;
console.log(((after - before) / COUNT).toFixed(1), kept ? '' : '-');
