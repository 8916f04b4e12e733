import type { Checkpoint } from './checkpoint.ts';
import { digestSteps } from './digest-steps.ts';
import type { Batch } from './make-batches.ts';

/** A batch, whether the checkpoint shows it committed, and how to record it once it is. */
export interface CheckedBatch {
  readonly batch: Batch;
  /** True when the checkpoint recorded this very batch (same index, same steps) as committed. */
  readonly committed: boolean;
  /** Records the batch in the checkpoint; call only after the server acknowledged it. */
  readonly record: () => void | Promise<void>;
}

/**
 * Checks each batch against the checkpoint in the source's order, one at a time: a batch comes out
 * only after every earlier one was checked, so when the checkpoint refuses batch k (it recorded other
 * steps for k) no batch after k has been started. Batches before k that the checkpoint never recorded
 * may have been sent: they were not done, and a stream cannot be checked ahead of sending.
 */
export async function* checkBatches(
  batches: AsyncIterable<Batch>,
  checkpoint: Checkpoint | undefined,
): AsyncGenerator<CheckedBatch> {
  for await (const batch of batches) {
    if (!checkpoint) {
      yield { batch, committed: false, record: () => {} };
      continue;
    }
    const digest = digestSteps(batch.steps);
    const committed = await checkpoint.has(batch.index, digest);
    yield { batch, committed, record: () => checkpoint.add(batch.index, digest) };
  }
}
