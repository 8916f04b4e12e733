import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** Where committed batch indices are recorded, so a re-run skips them. */
export interface Checkpoint {
  has(index: number): boolean | Promise<boolean>;
  add(index: number): void | Promise<void>;
}

/**
 * A checkpoint file: one committed batch index per line, appended synchronously right after each
 * commit, read back at start.
 *
 * @example
 * await db.transactBatches(rows, { checkpoint: fileCheckpoint('import.checkpoint') })
 */
export function fileCheckpoint(path: string): Checkpoint {
  const done = new Set<number>();
  if (existsSync(path)) {
    for (const line of readFileSync(path, 'utf8').split('\n')) if (/^\d+$/.test(line.trim())) done.add(Number(line.trim()));
  }
  return {
    has: (index) => done.has(index),
    add: (index) => {
      done.add(index);
      appendFileSync(path, `${index}\n`);
    },
  };
}
