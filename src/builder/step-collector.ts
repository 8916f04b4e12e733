import { deepFreeze } from './deep-freeze.ts';
import type { RecordedStep } from './recorded-step.ts';

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
   * True for the tuples `getSteps`/`compile` hand out; false for plain tuples holding the chunks' private
   * copies, for a caller that only stringifies them and never lets them out (`db.transact`).
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
 * A step tuple as the caller may see it: frozen, with the chunk's private copies frozen in place (they
 * stay private, and a frozen copy can be shared).
 *
 * @example
 * frozenStep(['update', 'goals', goalId, { title: 'x' }]) // a frozen ['update', 'goals', goalId, { title: 'x' }]
 */
export function frozenStep(step: unknown[]): RecordedStep {
  for (let index = 3; index < step.length; index++) deepFreeze(step[index]);
  return Object.freeze(step) as unknown as RecordedStep;
}
