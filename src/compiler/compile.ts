import { appendSteps, NOT_A_CHUNK, stepCount, TxChunk } from '../builder/chunk.ts';
import { createStepCollector, type StepCollector } from '../builder/step-collector.ts';
import type { RecordedStep } from '../builder/recorded-step.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import type { EntityStep } from '../protocol/steps.ts';
import { indexSchema } from '../schema/schema-index.ts';
import { serializeStep } from './serialize-step.ts';
import { validateSteps } from './validate-steps.ts';

/** A chunk, or (nested) arrays of chunks, as `db.transact` takes them. */
export type ChunkInput = object | readonly ChunkInput[];

/** Options of {@link compile}. */
export interface CompileOptions {
  /**
   * Check every step against this schema (ours or one made by `@instantdb/admin`'s `i.schema`).
   * Defaults to the schema of the `txFor(schema)` that made each chunk; pass `null` to skip checks.
   */
  readonly schema?: unknown;
}

/**
 * Turns chunks into the exact `steps` array `POST /admin/transact` takes: plain, JSON-safe, frozen
 * tuples, equal to what `@instantdb/admin` would send for the same chains. With a schema, every
 * problem in every step is reported in one {@link InstantValidationError} and nothing is returned.
 *
 * @example
 * const steps = compile([tx.goals[goalId].update({ title: 'Get fit' }).link({ todos: todoId })]);
 * // [['update', 'goals', goalId, { title: 'Get fit' }], ['link', 'goals', goalId, { todos: todoId }]]
 * const { url, appId, adminToken } = await startLocalServer();
 * await fetch(`${url}/admin/transact`, {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', 'app-id': appId, authorization: `Bearer ${adminToken}` },
 *   body: JSON.stringify({ steps }),
 * });
 */
export function compile(input: ChunkInput, options: CompileOptions = {}): EntityStep[] {
  return compileSteps(input, options, true);
}

/**
 * {@link compile} for a request body: the same checks and the same steps, but the tuples are neither
 * fresh copies nor frozen; they hold the chunks' private copies. Only for steps that go straight to
 * `JSON.stringify` and are never handed to user code (`db.transact`): frozen objects stringify slower.
 *
 * @example
 * const body = JSON.stringify({ steps: compileForRequest([tx.goals[goalId].delete()]) });
 */
export function compileForRequest(input: ChunkInput, options: CompileOptions = {}): EntityStep[] {
  return compileSteps(input, options, false);
}

function compileSteps(input: ChunkInput, options: CompileOptions, freeze: boolean): EntityStep[] {
  const into = createStepCollector(countAll(input), freeze);
  const recorded = into.steps;
  const bySchema = collectSteps(input, into, options);
  if (bySchema.size > 0) {
    const issues: ValidationIssue[] = [];
    for (const [schema, ranges] of bySchema) {
      const steps = ranges.length === 1 ? sliceOf(recorded, ranges[0]!) : ranges.flatMap((r) => sliceOf(recorded, r));
      issues.push(...validateSteps(steps, indexSchema(schema)));
    }
    if (issues.length > 0) throw new InstantValidationError(issues);
  }
  // Lookups are typed values until here; only steps holding one are rewritten.
  if (!into.wire)
    for (let index = 0; index < recorded.length; index++) recorded[index] = serializeStep(recorded[index]!) as never;
  return recorded as unknown as EntityStep[];
}

/** How many steps the chunks in `input` hold, nested arrays included. */
function countAll(input: ChunkInput): number {
  if (!Array.isArray(input)) return stepCount(input);
  let total = 0;
  for (let index = 0; index < input.length; index++) total += countAll(input[index]);
  return total;
}

function sliceOf(steps: RecordedStep[], [from, to]: [number, number]): RecordedStep[] {
  return from === 0 && to === steps.length ? steps : steps.slice(from, to);
}

/** Which slices of the collected steps each schema must check, as `[from, to)` ranges. */
type SchemaRanges = Map<unknown, [number, number][]>;

/**
 * Appends every chunk's steps to `out`, noting which schema checks which. Paths are built only when
 * something is not a chunk, by a second walk that names each such element.
 */
function collectSteps(input: ChunkInput, into: StepCollector, options: CompileOptions): SchemaRanges {
  const bySchema: SchemaRanges = new Map();
  const explicit = 'schema' in options;
  let valid = true;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) visit(value[index]);
      return;
    }
    const from = into.length;
    const chunkSchema = appendSteps(value, into);
    if (chunkSchema === NOT_A_CHUNK) {
      valid = false;
      return;
    }
    const schema = explicit ? options.schema : chunkSchema;
    const to = into.length;
    if (schema === undefined || schema === null || from === to) return;
    const ranges = bySchema.get(schema);
    const last = ranges?.[ranges.length - 1];
    if (last?.[1] === from)
      last[1] = to; // adjacent chunks of one schema: one range
    else if (ranges) ranges.push([from, to]);
    else bySchema.set(schema, [[from, to]]);
  };
  visit(input);
  if (!valid) throw new InstantValidationError(findNonChunks(input, 'chunks', []));
  return bySchema;
}

/** The error path: an issue naming each element of `input` that is not a chunk. */
function findNonChunks(value: unknown, path: string, issues: ValidationIssue[]): ValidationIssue[] {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) findNonChunks(value[index], `${path}[${index}]`, issues);
  } else if (!TxChunk.isChunk(value)) {
    issues.push(
      createIssue(
        'invalid-argument',
        path,
        `expected a chunk made by tx (e.g. tx.goals[id].update({...})), got ${describe(value)}`,
      ),
    );
  }
  return issues;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object' && '__ops' in value)
    return 'an @instantdb/admin chunk (build it with instant-tx tx instead)';
  return typeof value === 'object' ? 'an object that is not a chunk' : `a ${typeof value}`;
}
