import { InstantError } from './instant-error.ts';

/**
 * A checkpoint cannot vouch for this run, so nothing it records is skipped. Either it was written for
 * other input or other batching options — `batchIndex` is the first batch whose steps differ from the
 * steps it recorded for that index — or it is not a checkpoint this version can read (`batchIndex`
 * undefined). `checkpoint` is the file path, or a custom checkpoint's label. The CLI exits 2 on it.
 *
 * @example
 * const chunks = [db.tx.goals[goalId].update({ title: 'Get fit' })];
 * try { await db.transactBatches(chunks, { checkpoint: 'import.ckpt' }) }
 * catch (e) { if (e instanceof InstantCheckpointError) console.error(e.batchIndex, e.message) }
 * // 0 'checkpoint import.ckpt belongs to other input or other options: batch 0 differs from the batch it
 * //    recorded as committed; delete it or use a new path'
 * new InstantCheckpointError('import.ckpt', 'is not an instant-tx checkpoint').batchIndex // undefined
 */
export class InstantCheckpointError extends InstantError {
  override name = 'InstantCheckpointError';
  readonly checkpoint: string;
  readonly batchIndex: number | undefined;

  /**
   * `problem` is the index of the batch that differs, or words completing "checkpoint <path> …";
   * `other` says what else the checkpoint may belong to (default "other input or other options").
   */
  constructor(checkpoint: string, problem: number | string, other = 'other input or other options') {
    const what =
      typeof problem === 'number'
        ? `belongs to ${other}: batch ${problem} differs from the batch it recorded as committed`
        : problem;
    super(`checkpoint ${checkpoint} ${what}; delete it or use a new path`);
    this.checkpoint = checkpoint;
    this.batchIndex = typeof problem === 'number' ? problem : undefined;
  }
}
