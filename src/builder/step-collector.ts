import { deepFreeze } from './deep-freeze.ts';
import type { RecordedStep } from './recorded-step.ts';

/**
 * A recorded step as the chunk keeps it: the wire tuple `[action, namespace, id, data]` (a fifth element
 * for `update`/`merge` options), made once when the step is recorded. Never frozen and never handed out:
 * `db.transact` only stringifies it; `getSteps`/`compile` hand out frozen copies.
 */
export type StoredStep = RecordedStep;

/**
 * Where the compiler collects steps: the tuples, how many are written, whether to freeze them, and
 * whether all are in wire form. `steps` is made at its final length before anything is written (see
 * {@link createStepCollector}): filling an array by index is several times cheaper than growing it by
 * `push` when a batch holds 200k steps.
 */
export interface StepCollector {
  readonly steps: RecordedStep[];
  /** How many steps are written so far: the index the next one goes to. */
  length: number;
  /**
   * True for the tuples `getSteps`/`compile` hand out; false for the chunks' own tuples, for a caller that only
   * stringifies them and never lets them out (`db.transact`).
   */
  readonly freeze: boolean;
  /** Stays true while every collected step is already in wire form (no lookups to rewrite). */
  wire: boolean;
}

/**
 * A collector with room for `total` steps.
 *
 * @example
 * const into = createStepCollector(2, true); // room for a chunk of two steps, e.g. update().link()
 */
export function createStepCollector(total: number, freeze: boolean): StepCollector {
  return { steps: new Array<RecordedStep>(total), length: 0, freeze, wire: true };
}

/**
 * A stored step as the caller may see it: a fresh frozen tuple, its private copies frozen in place (they
 * stay private, and a frozen copy can be shared).
 *
 * @example
 * frozenCopy(['update', 'goals', goalId, { title: 'x' }]) // a frozen ['update', 'goals', goalId, { title: 'x' }]
 */
export function frozenCopy(step: StoredStep): RecordedStep {
  const copy: unknown[] = [step[0], step[1], step[2], deepFreeze(step[3])];
  if (step.length > 4) copy.push(deepFreeze(step[4]));
  return Object.freeze(copy) as unknown as RecordedStep;
}
