import { tx as officialTx } from '@instantdb/admin';
import { toRequestSteps } from '../src/client/transact-input.ts';
import { compile, tx } from '../src/index.ts';
import { medianTime, report, uuids } from './harness.ts';

const COUNT = 100_000;
const ROUNDS = 9;

/**
 * Median times of several variants measured in turns (one run of each per round, after a collection), so
 * a change in the machine's load during the run shifts all of them alike and the ratios hold.
 */
function medianTimesInTurns<K extends string>(variants: Record<K, () => unknown>): Record<K, number> {
  const names = Object.keys(variants) as K[];
  const times = new Map<K, number[]>(names.map((name) => [name, []]));
  for (const name of names) medianTime(variants[name], 1, 2);
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) {
      (globalThis as { gc?: () => void }).gc?.();
      times.get(name)!.push(medianTime(variants[name], 1, 0));
    }
  }
  const medians = {} as Record<K, number>;
  for (const name of names) medians[name] = times.get(name)!.sort((a, b) => a - b)[ROUNDS >> 1]!;
  return medians;
}

/**
 * 1. build + compile + JSON.stringify({steps}) for 100k `update(...).link(...)` chunks. Ours is timed the
 * way `db.transact` does it (`toRequestSteps`: checked, then serialised straight from the chunks' nodes);
 * the public `compile()`, which hands out fresh deep-frozen tuples, is printed beside it for reference.
 */
export function benchBuildCompile(): void {
  const goals = uuids(COUNT);
  const todos = uuids(COUNT);
  let bytes = 0;

  const handWritten = () => {
    const steps: unknown[] = [];
    for (let index = 0; index < COUNT; index++) {
      const goal = goals[index]!;
      steps.push(
        ['update', 'goals', goal, { title: 'Get fit', priority: index }],
        ['link', 'goals', goal, { todos: todos[index]! }],
      );
    }
    bytes = JSON.stringify({ steps }).length;
  };

  const build = () => {
    const chunks = [];
    for (let index = 0; index < COUNT; index++) {
      chunks.push(
        tx.goals[goals[index]!]!.update({ title: 'Get fit', priority: index }).link({ todos: todos[index]! }),
      );
    }
    return chunks;
  };

  const ours = () => {
    const body = JSON.stringify({ steps: toRequestSteps(build(), undefined) });
    if (body.length !== bytes) throw new Error('ours and the hand-written tuples differ');
  };

  const official = () => {
    const chunks = [];
    for (let index = 0; index < COUNT; index++) {
      chunks.push(
        officialTx.goals[goals[index]!]!.update({ title: 'Get fit', priority: index }).link({ todos: todos[index]! }),
      );
    }
    const body = JSON.stringify({ steps: chunks.flatMap((chunk) => chunk.__ops) });
    if (body.length !== bytes) throw new Error('official and the hand-written tuples differ');
  };

  const frozen = () => {
    const body = JSON.stringify({ steps: compile(build()) });
    if (body.length !== bytes) throw new Error('compile() and the hand-written tuples differ');
  };

  handWritten(); // sets `bytes` for the others' checks
  const time = medianTimesInTurns({ handWritten, ours, official, frozen });

  report(
    'build+compile+stringify vs hand-written tuples',
    time.ours / time.handWritten,
    '<= 1.6x',
    time.ours / time.handWritten <= 1.6,
    `ours ${time.ours.toFixed(1)} ms (the db.transact path), tuples ${time.handWritten.toFixed(1)} ms, 100k chunks`,
  );
  report(
    'build+compile+stringify, @instantdb/admin / ours',
    time.official / time.ours,
    '>= 1.3x faster',
    time.official / time.ours >= 1.3,
    `official ${time.official.toFixed(1)} ms, ours ${time.ours.toFixed(1)} ms`,
  );
  report(
    'build+compile()+stringify, fresh deep-frozen tuples, vs hand-written tuples',
    time.frozen / time.handWritten,
    'reference only',
    true,
    `compile() ${time.frozen.toFixed(1)} ms, tuples ${time.handWritten.toFixed(1)} ms; official / compile() ${(time.official / time.frozen).toFixed(2)}x`,
  );
}
