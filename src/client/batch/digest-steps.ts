import { createHash } from 'node:crypto';
import type { Step } from '../../protocol/steps.ts';

/**
 * What a checkpoint records for a committed batch: the SHA-256 (hex) of its steps as JSON. It is
 * computed per batch, not over the whole input, because the input may be a stream whose end is not
 * known when the first batch is sent. The batching options are deliberately not part of it: they only
 * matter through the steps they put in a batch, so a changed `maxSteps`/`maxBytes` that moves a cut
 * changes the digest, and one that moves no cut leaves the work done, and the digest, the same.
 *
 * @example
 * digestSteps([['delete', 'goals', goalId, null]]) // 64 hex digits, the same for the same steps
 */
export function digestSteps(steps: readonly Step[]): string {
  return createHash('sha256').update(JSON.stringify(steps)).digest('hex');
}
