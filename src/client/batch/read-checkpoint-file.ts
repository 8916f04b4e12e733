import { readFileSync } from 'node:fs';
import { InstantCheckpointError } from '../../errors/instant-checkpoint-error.ts';

/**
 * The first line of every checkpoint file. It names the format, so a file of other text, or one
 * written by an earlier instant-tx (bare batch indices, which cannot show what input they cover), is
 * refused instead of being read as a list of committed batches.
 */
export const CHECKPOINT_HEADER = '# instant-tx checkpoint v2: <batch index> <sha256 of its steps as JSON>';

const ENTRY = /^(\d+) ([0-9a-f]{64})$/;
/** What a crash can leave of an entry line: a prefix of one, without its newline. */
const ENTRY_PREFIX = /^\d+( [0-9a-f]{0,64})?$/;

/** A checkpoint file as read at the start of a run. */
export interface CheckpointFile {
  /** Committed batch index → digest of its steps. */
  readonly done: Map<number, string>;
  /** True when the file already starts with {@link CHECKPOINT_HEADER}. */
  readonly hasHeader: boolean;
  /** Length of the complete lines; anything after it is a line a crash cut off (never acknowledged). */
  readonly validLength: number;
  /** True when such a cut-off line follows `validLength`. */
  readonly torn: boolean;
}

/**
 * Reads and checks a checkpoint file. A missing or empty file records nothing. A last line without
 * its newline that is the start of a valid line was being written when the process died: its batch
 * was never acknowledged as recorded, so it is left out (and the batch is sent again). Anything else
 * that is not the format — other text, the old format, a garbled or contradictory line — throws an
 * {@link InstantCheckpointError}.
 *
 * @example
 * const { done } = readCheckpointFile('import.ckpt'); // Map { 0 => '9f86d0…', 1 => '60303a…' }
 */
export function readCheckpointFile(path: string): CheckpointFile {
  const text = readText(path);
  const end = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, end).split('\n').slice(0, -1);
  const partial = text.slice(end);
  const torn = partial !== '';
  if (lines.length === 0) {
    if (CHECKPOINT_HEADER.startsWith(partial)) return { done: new Map(), hasHeader: false, validLength: 0, torn };
    throw notACheckpoint(path, 1, partial);
  }
  if (lines[0] !== CHECKPOINT_HEADER) {
    if (/^\d+$/.test(lines[0]!))
      throw new InstantCheckpointError(
        path,
        'was written by an earlier instant-tx (bare batch indices, no digests), so it cannot show which input it covers',
      );
    throw notACheckpoint(path, 1, lines[0]!);
  }
  const done = new Map<number, string>();
  lines.slice(1).forEach((line, n) => {
    const match = ENTRY.exec(line);
    const index = Number(match?.[1]);
    if (!match || (done.has(index) && done.get(index) !== match[2])) throw notACheckpoint(path, n + 2, line);
    done.set(index, match[2]!);
  });
  if (torn && !ENTRY_PREFIX.test(partial)) throw notACheckpoint(path, lines.length + 1, partial);
  return { done, hasHeader: true, validLength: end, torn };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return '';
    throw new InstantCheckpointError(path, `could not be read (${code ?? (error as Error).message})`);
  }
}

function notACheckpoint(path: string, line: number, text: string): InstantCheckpointError {
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  return new InstantCheckpointError(
    path,
    `is not an instant-tx checkpoint this version can trust (line ${line} reads ${shown})`,
  );
}
