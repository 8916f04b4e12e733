import { InstantAPIError } from '../../errors/instant-api-error.ts';
import type { Step } from '../../protocol/steps.ts';
import type { CallOptions } from '../http-client.ts';
import { readBatchSettings } from './batch-options.ts';
import { checkBatches, type CheckedBatch } from './check-batches.ts';
import { fileCheckpoint, type Checkpoint } from './checkpoint.ts';
import { makeBatches, type BatchItem } from './make-batches.ts';

/** Options of `db.transactBatches`. */
export interface BatchOptions extends CallOptions {
  /** Most steps per request (default 500; 1–100,000). */
  readonly maxSteps?: number;
  /** Most bytes of JSON steps per request (default 4 MB; at most 1e9). */
  readonly maxBytes?: number;
  /** Requests in flight at once (default 4, 1–64; 1 when `ordered`). */
  readonly concurrency?: number;
  /** Send batches one after another, for steps that depend on earlier ones. */
  readonly ordered?: boolean;
  /** After a batch fails (its retries exhausted), start no further batch (default true). */
  readonly stopOnError?: boolean;
  /**
   * A file path or `{has, add}` recording committed batches with a digest of their steps, so a re-run
   * with the same input and options skips them; one written for other input or options is refused.
   */
  readonly checkpoint?: string | Checkpoint;
  /** Total number of steps, when known, for progress reports. */
  readonly stepsTotal?: number;
  readonly onProgress?: (progress: BatchProgress) => void;
}

/** What `onProgress` reports after each batch. */
export interface BatchProgress {
  readonly batchesDone: number;
  readonly stepsDone: number;
  readonly stepsTotal: number | undefined;
  /** Steps per second since the start. */
  readonly rate: number;
}

/** The fate of one batch. */
export interface BatchOutcome {
  readonly index: number;
  readonly from: number;
  readonly to: number;
  readonly status: 'committed' | 'skipped' | 'failed';
  /** One tx-id, or several when the server asked for smaller requests and the batch was halved. */
  readonly txIds: number[];
  readonly error?: Error;
}

/** The report of a batch run: steps committed now, failed batches, and every batch's outcome. */
export interface BatchReport {
  readonly committed: number;
  readonly skipped: number;
  readonly failed: BatchOutcome[];
  readonly batches: BatchOutcome[];
  /** True when stopOnError (or an abort) left part of the source unsent. */
  readonly stopped: boolean;
}

/** Sends one request's steps and resolves with its tx-id. */
export type SendSteps = (steps: Step[], options: CallOptions) => Promise<number>;

/**
 * The batch engine behind `db.transactBatches`: streams the source into batches, sends them with
 * bounded concurrency through `send` (which retries per the client's policy), halves a batch at chunk
 * boundaries when the server answers `parameter-limit-exceeded`, records commits in the checkpoint, and
 * reports every batch. A failed batch is never hidden. A checkpoint that recorded other steps for a
 * batch index than this run's (other input, or other `maxSteps`/`maxBytes` moving the cuts) rejects the
 * run with an `InstantCheckpointError`: no later batch starts, those in flight finish, nothing is skipped.
 *
 * @example
 * const send: SendSteps = async (steps, options) => (await db.transact(steps, options)).txId;
 * const chunks = [tx.goals[id()].update({ title: 'Get fit' }), tx.goals[id()].update({ title: 'Read more' })];
 * const report = await transactBatches(send, chunks, { maxSteps: 100, checkpoint: 'import.ckpt' }, schema);
 */
export async function transactBatches(
  send: SendSteps,
  source: Iterable<BatchItem> | AsyncIterable<BatchItem>,
  options: BatchOptions,
  schema: unknown,
): Promise<BatchReport> {
  const { limits, concurrency } = readBatchSettings(options);
  const checkpoint = typeof options.checkpoint === 'string' ? fileCheckpoint(options.checkpoint) : options.checkpoint;
  const batches = checkBatches(makeBatches(source, limits, schema), checkpoint);
  const outcomes: BatchOutcome[] = [];
  const started = performance.now();
  const call = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
  };
  let stepsDone = 0;
  let stopped = false;
  let failure: { error: unknown } | undefined;

  const worker = async (): Promise<void> => {
    while (!stopped && !options.signal?.aborted) {
      let next: IteratorResult<CheckedBatch>;
      try {
        next = await batches.next();
      } catch (error) {
        // A refused checkpoint or an invalid source: start nothing more, let batches in flight finish.
        failure ??= { error };
        stopped = true;
        return;
      }
      if (next.done) return;
      const outcome = await runBatch(next.value, send, call);
      outcomes.push(outcome);
      if (outcome.status === 'failed' && options.stopOnError !== false) stopped = true;
      if (outcome.status !== 'failed') stepsDone += outcome.to - outcome.from;
      options.onProgress?.({
        batchesDone: outcomes.length,
        stepsDone,
        stepsTotal: options.stepsTotal,
        rate: stepsDone / ((performance.now() - started) / 1000 || 1),
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failure) throw failure.error;
  if (!stopped && options.signal?.aborted) stopped = true;
  outcomes.sort((a, b) => a.index - b.index);
  const count = (status: BatchOutcome['status']) =>
    outcomes.filter((o) => o.status === status).reduce((sum, o) => sum + o.to - o.from, 0);
  return {
    committed: count('committed'),
    skipped: count('skipped'),
    failed: outcomes.filter((o) => o.status === 'failed'),
    batches: outcomes,
    stopped,
  };
}

async function runBatch(
  { batch, committed, record }: CheckedBatch,
  send: SendSteps,
  call: CallOptions,
): Promise<BatchOutcome> {
  const base = { index: batch.index, from: batch.from, to: batch.to };
  if (committed) return { ...base, status: 'skipped', txIds: [] };
  try {
    const txIds = await sendSplitting(batch.steps, batch.groups, send, call);
    await record();
    return { ...base, status: 'committed', txIds };
  } catch (error) {
    return { ...base, status: 'failed', txIds: [], error: error as Error };
  }
}

/** Instant answers `parameter-limit-exceeded` for a request that is too large: halve it (between chunks) and retry. */
async function sendSplitting(steps: Step[], groups: number[], send: SendSteps, call: CallOptions): Promise<number[]> {
  try {
    return [await send(steps, call)];
  } catch (error) {
    if (!(error instanceof InstantAPIError && error.type === 'parameter-limit-exceeded') || groups.length < 2)
      throw error;
    const half = Math.ceil(groups.length / 2);
    const cut = groups.slice(0, half).reduce((sum, size) => sum + size, 0);
    return [
      ...(await sendSplitting(steps.slice(0, cut), groups.slice(0, half), send, call)),
      ...(await sendSplitting(steps.slice(cut), groups.slice(half), send, call)),
    ];
  }
}
