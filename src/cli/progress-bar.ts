import type { BatchProgress } from '../client/batch/transact-batches.ts';

/**
 * A one-line progress bar for a TTY: `[#####.....] 12,000/40,000 steps · 8,300 steps/s · 24 batches`.
 * A few lines of ours: a library would add a dependency for one redrawn line.
 *
 * @example
 * const options: BatchOptions = { onProgress: progressBar((text) => process.stderr.write(text)) };
 */
export function progressBar(write: (text: string) => void, width = 30): (progress: BatchProgress) => void {
  return ({ batchesDone, stepsDone, stepsTotal, rate }) => {
    const ratio = stepsTotal ? Math.min(1, stepsDone / stepsTotal) : undefined;
    const bar = ratio === undefined ? '' : `[${'#'.repeat(Math.round(ratio * width)).padEnd(width, '.')}] `;
    const total = stepsTotal ? `/${stepsTotal.toLocaleString('en')}` : '';
    write(
      `\r${bar}${stepsDone.toLocaleString('en')}${total} steps · ${Math.round(rate).toLocaleString('en')} steps/s · ${batchesDone} batches`,
    );
  };
}
