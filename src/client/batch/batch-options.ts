import { InstantValidationError } from '../../errors/instant-validation-error.ts';
import type { ValidationIssue } from '../../errors/validation-issue.ts';
import { checkWholeNumber } from '../number-options.ts';
import type { BatchLimits } from './make-batches.ts';

/** A batch's size when the caller does not say: 500 steps and 4,000,000 bytes of JSON. */
export const DEFAULT_BATCH_LIMITS: BatchLimits = Object.freeze({ maxSteps: 500, maxBytes: 4_000_000 });

/** The bounds each numeric option must lie within (whole numbers). */
const BOUNDS = {
  maxSteps: [1, 100_000],
  maxBytes: [1, 1_000_000_000],
  concurrency: [1, 64],
  stepsTotal: [0, Number.MAX_SAFE_INTEGER],
} as const;

/** The numeric options of a batch run as the engine uses them. */
export interface BatchSettings {
  readonly limits: BatchLimits;
  readonly concurrency: number;
}

/**
 * Checks the numeric options of `transactBatches` before anything is read or sent: each, when given, a
 * whole number within its bounds (`maxSteps` 1–100,000, `maxBytes` 1–1e9, `concurrency` 1–64,
 * `stepsTotal` ≥ 0). `NaN` would otherwise lift a limit (no size is `> NaN`) or start no worker at all,
 * so that nothing is sent and nothing is reported; all problems come in one `InstantValidationError`.
 *
 * @example
 * readBatchSettings({ maxSteps: 100 }) // { limits: { maxSteps: 100, maxBytes: 4000000 }, concurrency: 4 }
 */
export function readBatchSettings(options: {
  readonly maxSteps?: number;
  readonly maxBytes?: number;
  readonly concurrency?: number;
  readonly ordered?: boolean;
  readonly stepsTotal?: number;
}): BatchSettings {
  const issues: ValidationIssue[] = [];
  for (const name of Object.keys(BOUNDS) as (keyof typeof BOUNDS)[]) {
    const [min, max] = BOUNDS[name];
    checkWholeNumber(options[name], `transactBatches(options).${name}`, issues, min, max);
  }
  if (issues.length > 0) throw new InstantValidationError(issues);
  return {
    limits: {
      maxSteps: options.maxSteps ?? DEFAULT_BATCH_LIMITS.maxSteps,
      maxBytes: options.maxBytes ?? DEFAULT_BATCH_LIMITS.maxBytes,
    },
    concurrency: options.ordered ? 1 : (options.concurrency ?? 4),
  };
}
