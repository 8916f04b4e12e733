import { tx as officialTx } from '@instantdb/admin';
import { compile, tx } from '../src/index.ts';
import { medianTime, report } from './harness.ts';

const CALLS = 16_000;
const ID = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';

/** 2. A 16,000-call chain on one entity. */
export function benchLongChain(): void {
  const ours = medianTime(() => {
    let chunk = tx.goals[ID]!;
    for (let index = 0; index < CALLS; index++) chunk = chunk.update({ n: index });
    if (compile(chunk).length !== CALLS) throw new Error('lost steps');
  });
  const official = medianTime(
    () => {
      let chunk = officialTx.goals[ID]!;
      for (let index = 0; index < CALLS; index++) chunk = chunk.update({ n: index });
      if (chunk.__ops.length !== CALLS) throw new Error('lost steps');
    },
    3,
    1,
  );
  report(
    '16,000-call chain, @instantdb/admin / ours',
    official / ours,
    '>= 50x faster',
    official / ours >= 50,
    `official ${official.toFixed(1)} ms, ours ${ours.toFixed(2)} ms`,
  );
}
