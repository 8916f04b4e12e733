import { tx as officialTx } from '@instantdb/admin';
import { toRequestSteps } from '../src/client/transact-input.ts';
import { compile, tx } from '../src/index.ts';
import { medianTime, report, uuids } from './harness.ts';

const COUNT = 100_000;

/**
 * 1. build + compile + JSON.stringify({steps}) for 100k `update(...).link(...)` chunks. Ours is timed the
 * way `db.transact` does it (`toRequestSteps`: checked, then serialised straight from the chunks' nodes);
 * the public `compile()`, which hands out fresh deep-frozen tuples, is printed beside it for reference.
 */
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

  const build = () => {
    const chunks = [];
    for (let index = 0; index < COUNT; index++) {
      chunks.push(
        tx.goals[goals[index]!]!.update({ title: 'Get fit', priority: index }).link({ todos: todos[index]! }),
      );
    }
    return chunks;
  };

  const ours = medianTime(() => {
    const body = JSON.stringify({ steps: toRequestSteps(build(), undefined) });
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

  const frozen = medianTime(() => {
    const body = JSON.stringify({ steps: compile(build()) });
    if (body.length !== bytes) throw new Error('compile() and the hand-written tuples differ');
  });

  report(
    'build+compile+stringify vs hand-written tuples',
    ours / handWritten,
    '<= 1.6x',
    ours / handWritten <= 1.6,
    `ours ${ours.toFixed(1)} ms (the db.transact path), tuples ${handWritten.toFixed(1)} ms, 100k chunks`,
  );
  report(
    'build+compile+stringify, @instantdb/admin / ours',
    official / ours,
    '>= 1.3x faster',
    official / ours >= 1.3,
    `official ${official.toFixed(1)} ms, ours ${ours.toFixed(1)} ms`,
  );
  report(
    'build+compile()+stringify, fresh deep-frozen tuples, vs hand-written tuples',
    frozen / handWritten,
    'reference only',
    true,
    `compile() ${frozen.toFixed(1)} ms, tuples ${handWritten.toFixed(1)} ms; official / compile() ${(official / frozen).toFixed(2)}x`,
  );
}
