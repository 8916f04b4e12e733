import { tx as officialTx } from '@instantdb/admin';
import { compile, tx } from '../src/index.ts';
import { medianTime, report, uuids } from './harness.ts';

const COUNT = 100_000;

/** 1. build + compile + JSON.stringify({steps}) for 100k `update(...).link(...)` chunks. */
export function benchBuildCompile(): void {
  const goals = uuids(COUNT);
  const todos = uuids(COUNT);
  let bytes = 0;

  const handWritten = medianTime(() => {
    const steps: unknown[] = [];
    for (let index = 0; index < COUNT; index++) {
      const goal = goals[index]!;
      steps.push(
        ['update', 'goals', goal, { title: 'Get fit', priority: index }],
        ['link', 'goals', goal, { todos: todos[index]! }],
      );
    }
    bytes = JSON.stringify({ steps }).length;
  });

  const ours = medianTime(() => {
    const chunks = [];
    for (let index = 0; index < COUNT; index++) {
      chunks.push(
        tx.goals[goals[index]!]!.update({ title: 'Get fit', priority: index }).link({ todos: todos[index]! }),
      );
    }
    const body = JSON.stringify({ steps: compile(chunks) });
    if (body.length !== bytes) throw new Error('ours and the hand-written tuples differ');
  });

  const official = medianTime(() => {
    const chunks = [];
    for (let index = 0; index < COUNT; index++) {
      chunks.push(
        officialTx.goals[goals[index]!]!.update({ title: 'Get fit', priority: index }).link({ todos: todos[index]! }),
      );
    }
    const body = JSON.stringify({ steps: chunks.flatMap((chunk) => chunk.__ops) });
    if (body.length !== bytes) throw new Error('official and the hand-written tuples differ');
  });

  report(
    'build+compile+stringify vs hand-written tuples',
    ours / handWritten,
    '<= 1.3x',
    ours / handWritten <= 1.3,
    `ours ${ours.toFixed(1)} ms, tuples ${handWritten.toFixed(1)} ms, 100k chunks`,
  );
  report(
    'build+compile+stringify, @instantdb/admin / ours',
    official / ours,
    '>= 1.5x faster',
    official / ours >= 1.5,
    `official ${official.toFixed(1)} ms, ours ${ours.toFixed(1)} ms`,
  );
}
