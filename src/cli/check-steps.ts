import { toSteps } from '../client/transact-input.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { ApiError } from '../server/api/api-error.ts';
import { describeStepsProblem, parseSteps } from '../server/transact/parse-steps.ts';
import { InputError } from './input-error.ts';
import type { SourceItem } from './read-steps.ts';

/**
 * Checks each item of a steps source before it reaches the batch engine, and throws an
 * {@link InputError} naming the file and line of the first bad one. Two checks: the client's (`toSteps`:
 * known actions, JSON values only — no `Infinity`) and the wire format's, as the server applies it
 * (`parseSteps`: entity ids and link targets are UUIDs or lookups, argument shapes). A real run and a
 * dry run both read through this, so `--dry-run` fails exactly where a real run would.
 */
export async function* checkSteps(source: AsyncIterable<SourceItem>): AsyncGenerator<unknown[]> {
  for await (const { item, where } of source) {
    const group = Array.isArray(item[0]) ? item : [item];
    let steps: unknown[] | undefined;
    try {
      steps = toSteps(group, undefined);
      parseSteps(steps);
    } catch (error) {
      if (!(error instanceof InstantValidationError || error instanceof ApiError)) throw error;
      // Instant's own answer for a malformed step is the bare "Validation failed for steps" with a spec
      // path; a person at a terminal gets the sentence that says what is wrong.
      const described = error instanceof ApiError && steps ? describeStepsProblem(steps) : undefined;
      const message = described ?? (error as Error).message.replace(/^Validation failed for [^:]+: /, '');
      throw new InputError(`${where}: ${message}`, { cause: error });
    }
    yield group === item ? steps : (steps[0] as unknown[]);
  }
}
