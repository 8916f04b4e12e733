import { appendFileSync, truncateSync } from 'node:fs';
import { InstantCheckpointError } from '../../errors/instant-checkpoint-error.ts';
import { CHECKPOINT_HEADER, readCheckpointFile } from './read-checkpoint-file.ts';

/**
 * Where committed batches are recorded, so a re-run skips them — but only batches it can prove were
 * done: each is recorded with `digest`, the SHA-256 of its steps, and a re-run's batch of the same
 * index is skipped only when its digest is the same.
 *
 * A custom checkpoint stores the `(index, digest)` pairs `add` gives it. `has(index, digest)` answers
 * `false` for an index never added, `true` for one added with this digest, and throws (ideally an
 * `InstantCheckpointError`) for one added with another digest: the checkpoint then belongs to other
 * input or other options, and answering `true` would skip work never done. An implementation written
 * for the earlier `has(index)`/`add(index)` still works, but vouches for nothing beyond the index.
 *
 * @example
 * const seen = new Map<number, string>();
 * const checkpoint: Checkpoint = {
 *   has: (index, digest) => {
 *     const recorded = seen.get(index);
 *     if (recorded !== undefined && recorded !== digest) throw new InstantCheckpointError('my-checkpoint', index);
 *     return recorded !== undefined;
 *   },
 *   add: (index, digest) => void seen.set(index, digest),
 * };
 */
export interface Checkpoint {
  has(index: number, digest: string): boolean | Promise<boolean>;
  add(index: number, digest: string): void | Promise<void>;
}

/**
 * A checkpoint file: a header line naming the format, then one `<index> <digest>` line per committed
 * batch, appended synchronously right after its commit and read back at start. A file of other text or
 * of the earlier digest-less format is refused with an {@link InstantCheckpointError}, as is a batch
 * whose steps differ from the ones recorded for its index. A last line cut off by a crash is dropped
 * (its batch is sent again) and removed from the file before the next line is appended.
 *
 * @example
 * const options: BatchOptions = { checkpoint: fileCheckpoint('import.ckpt') }; // what { checkpoint: 'import.ckpt' } does
 */
export function fileCheckpoint(path: string): Checkpoint {
  const file = readCheckpointFile(path);
  let header = file.hasHeader;
  let torn = file.torn;
  return {
    has: (index, digest) => {
      const recorded = file.done.get(index);
      if (recorded !== undefined && recorded !== digest) throw new InstantCheckpointError(path, index);
      return recorded !== undefined;
    },
    add: (index, digest) => {
      if (torn) truncateSync(path, file.validLength);
      torn = false;
      appendFileSync(path, `${header ? '' : `${CHECKPOINT_HEADER}\n`}${index} ${digest}\n`);
      header = true;
      file.done.set(index, digest);
    },
  };
}
