import { transactBatches, type BatchOptions } from '../client/batch/transact-batches.ts';
import type { Step } from '../protocol/steps.ts';
import { checkSteps } from './check-steps.ts';
import {
  CREDENTIAL_OPTIONS,
  EXIT,
  IMPERSONATION_OPTIONS,
  integerFlag,
  JSON_OPTION,
  parseCommand,
  type CliIo,
} from './cli-context.ts';
import { connect } from './connect.ts';
import { progressBar } from './progress-bar.ts';
import { readSteps } from './read-steps.ts';
import { UsageError } from './usage-error.ts';

export const TRANSACT_USAGE = `Usage: instant-tx transact FILE|- [options]

Sends steps from FILE (or stdin with -) through the batch engine: a JSON array of steps, or JSON Lines
(each line a step, or an array of steps kept in one transaction).

Options:
  --dry-run            run every check a real run does, print the steps; send nothing
  --checkpoint FILE    record committed batches; a re-run with the same input and options skips them
                       (one written for other input or options is refused, exit 2)
  --max-steps N        steps per request (default 500)
  --concurrency N      requests in flight (default 4)
  --ordered            send batches one after another
  --idempotent         the steps are safe to replay: retry transact like a read
  --app-id, --admin-token, --api-uri   (or INSTANT_APP_ID, INSTANT_ADMIN_TOKEN, INSTANT_API_URI)
  --as-email E | --as-token T | --as-guest
  --json               print the summary as JSON (always, when stdout is not a terminal)

Exit codes: 0 ok, 1 API error, 2 usage error or bad input (files, JSON, checkpoints), 3 some batches failed.`;

const TRANSACT_OPTIONS = {
  'dry-run': { type: 'boolean' },
  checkpoint: { type: 'string' },
  'max-steps': { type: 'string' },
  concurrency: { type: 'string' },
  ordered: { type: 'boolean' },
  idempotent: { type: 'boolean' },
  ...CREDENTIAL_OPTIONS,
  ...IMPERSONATION_OPTIONS,
  ...JSON_OPTION,
} as const;

/**
 * `instant-tx transact FILE|-`: validates, batches and sends steps; prints a summary.
 */
export async function transactCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('transact', argv, TRANSACT_OPTIONS);
  if (values.help) {
    io.out(TRANSACT_USAGE);
    return EXIT.ok;
  }
  const [file] = positionals;
  if (file === undefined || positionals.length > 1) throw new UsageError('transact takes one FILE (or - for stdin)');
  const limits: BatchOptions = {
    ...(values['max-steps'] ? { maxSteps: integerFlag(values['max-steps'], '--max-steps', 1) } : {}),
    ...(values.concurrency ? { concurrency: integerFlag(values.concurrency, '--concurrency', 1) } : {}),
    ...(values.ordered ? { ordered: true } : {}),
  };
  const source = checkSteps(readSteps(file, io.stdin));
  if (values['dry-run']) {
    io.out(JSON.stringify(await dryRun(source, limits), null, io.isTTY ? 2 : undefined));
    return EXIT.ok;
  }
  const db = connect(values, io.env, values.idempotent ? { transact: 'idempotent' } : {});
  const stepsTotal = io.isTTY && file !== '-' ? await countSteps(file, io.stdin) : undefined;
  const report = await db.transactBatches(source, {
    ...limits,
    ...(values.checkpoint ? { checkpoint: values.checkpoint } : {}),
    ...(io.isTTY ? { onProgress: progressBar(io.err) } : {}),
    ...(stepsTotal !== undefined ? { stepsTotal } : {}),
  });
  const summary = {
    committedSteps: report.committed,
    skippedSteps: report.skipped,
    batches: report.batches.length,
    failedBatches: report.failed.map((batch) => ({
      index: batch.index,
      from: batch.from,
      to: batch.to,
      error: batch.error?.message,
    })),
    stopped: report.stopped,
  };
  if (io.isTTY) io.err('\n');
  if (values.json || !io.isTTY) io.out(JSON.stringify(summary));
  else
    io.out(
      `committed ${summary.committedSteps} steps in ${summary.batches} batches (${summary.skippedSteps} skipped by checkpoint); ${summary.failedBatches.length} failed`,
    );
  for (const failed of summary.failedBatches)
    io.err(`batch ${failed.index} (steps ${failed.from}-${failed.to}) failed: ${failed.error}`);
  return report.failed.length > 0 ? EXIT.partial : EXIT.ok;
}

/**
 * The steps a real run would send, through the same batch engine (so a chunk larger than a batch fails
 * here too) with a sender that only records them.
 */
async function dryRun(source: AsyncIterable<unknown[]>, limits: BatchOptions): Promise<Step[]> {
  const steps: Step[] = [];
  const record = async (batch: Step[]): Promise<number> => {
    steps.push(...batch);
    return 0;
  };
  await transactBatches(record, source, { ...limits, ordered: true }, undefined);
  return steps;
}

/** A first pass over a file, on a terminal only, so the progress bar can show how far along it is. */
async function countSteps(file: string, stdin: NodeJS.ReadableStream): Promise<number> {
  let count = 0;
  for await (const { item } of readSteps(file, stdin)) count += Array.isArray(item[0]) ? item.length : 1;
  return count;
}
