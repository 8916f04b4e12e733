import { InstantValidationError } from '../../errors/instant-validation-error.ts';
import { createIssue } from '../../errors/validation-issue.ts';
import type { Step } from '../../protocol/steps.ts';
import { toSteps } from '../transact-input.ts';

/** One batch: its position, the source items it covers, and their steps. */
export interface Batch {
  readonly index: number;
  /** Range of step numbers `[from, to)` across the whole source. */
  readonly from: number;
  readonly to: number;
  readonly steps: Step[];
  readonly bytes: number;
  /** Step counts of the chunks in this batch, in order: a batch is only ever split between them. */
  readonly groups: number[];
}

/** Where batches are cut. */
export interface BatchLimits {
  readonly maxSteps: number;
  readonly maxBytes: number;
}

/** A source item: a chunk, a wire step, or an array of either (kept together). */
export type BatchItem = object | readonly unknown[];

const isStep = (item: unknown): boolean => Array.isArray(item) && typeof item[0] === 'string';

/**
 * Cuts a source of chunks or steps into batches of at most `maxSteps` steps and `maxBytes` of JSON,
 * reading it lazily, so a source of millions of steps never sits in memory. A chunk's steps always stay
 * in one batch; a chunk too large for a batch by itself is an error naming it. Deterministic: the same
 * source always gives the same batches (checkpoints rely on it).
 *
 * @example
 * const chunks = [tx.goals[id()].update({ title: 'Get fit' }), tx.goals[goalId].link({ todos: todoId })];
 * for await (const batch of makeBatches(chunks, { maxSteps: 500, maxBytes: 4e6 }, schema)) console.log(batch.steps);
 */
export async function* makeBatches(
  source: Iterable<BatchItem> | AsyncIterable<BatchItem>,
  limits: BatchLimits,
  schema: unknown,
): AsyncGenerator<Batch> {
  let steps: Step[] = [];
  let groups: number[] = [];
  let bytes = 0;
  let from = 0;
  let index = 0;
  let item = 0;
  for await (const entry of source) {
    const { group, size } = checkBatchItem(entry, limits, schema, item);
    if (steps.length > 0 && (steps.length + group.length > limits.maxSteps || bytes + size > limits.maxBytes)) {
      yield { index: index++, from, to: from + steps.length, steps, bytes, groups };
      from += steps.length;
      steps = [];
      groups = [];
      bytes = 0;
    }
    steps.push(...group);
    groups.push(group.length);
    bytes += size;
    item++;
  }
  if (steps.length > 0) yield { index, from, to: from + steps.length, steps, bytes, groups };
}

/**
 * One item of a batch source as the steps it sends and their size in bytes, or the
 * {@link InstantValidationError} the batch engine throws for it: a lone wire step goes through the same
 * checks as an array of them (known action, JSON values only, no NUL, bounded depth), so nothing reaches
 * the wire that db.transact would have refused; and an item larger than one batch may be is refused
 * (a chunk is never split). For a caller that checks its whole source before sending any of it.
 *
 * @example
 * checkBatchItem(['update', 'goals', goalId, { title: 'x' }], { maxSteps: 500, maxBytes: 4e6 }, undefined, 0).size // 50
 */
export function checkBatchItem(
  entry: BatchItem,
  limits: BatchLimits,
  schema: unknown,
  item: number,
): { readonly group: Step[]; readonly size: number } {
  const group = toSteps(isStep(entry) ? [entry] : entry, schema);
  const size = group.reduce((sum, step) => sum + JSON.stringify(step).length + 1, 0);
  if (group.length > limits.maxSteps || size > limits.maxBytes) {
    throw new InstantValidationError([
      createIssue(
        'invalid-argument',
        `source[${item}]`,
        `one chunk of ${group.length} steps (${size} bytes) is larger than a batch may be (maxSteps ${limits.maxSteps}, maxBytes ${limits.maxBytes}); a chunk is never split`,
      ),
    ]);
  }
  return { group, size };
}
