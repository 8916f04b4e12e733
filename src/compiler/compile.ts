import { appendSteps } from '../builder/chunk.ts';
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
  const recorded: RecordedStep[] = [];
  const bySchema = collectSteps(input, recorded, options);
  if (bySchema.size > 0) {
    const issues: ValidationIssue[] = [];
    for (const [schema, ranges] of bySchema) {
      const steps = ranges.flatMap(([from, to]) => recorded.slice(from, to));
      issues.push(...validateSteps(steps, indexSchema(schema)));
    }
    if (issues.length > 0) throw new InstantValidationError(issues);
  }
  const steps = recorded as unknown as EntityStep[];
  for (let index = 0; index < recorded.length; index++) steps[index] = serializeStep(recorded[index]!);
  return steps;
}

/** Which slices of the collected steps each schema must check, as `[from, to)` ranges. */
type SchemaRanges = Map<unknown, [number, number][]>;

function collectSteps(input: ChunkInput, out: RecordedStep[], options: CompileOptions): SchemaRanges {
  const bySchema: SchemaRanges = new Map();
  const explicit = 'schema' in options;
  const issues: ValidationIssue[] = [];
  const visit = (value: unknown, path: () => string): void => {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) visit(value[index], () => `${path()}[${index}]`);
      return;
    }
    const from = out.length;
    const chunk = appendSteps(value, out);
    if (!chunk) {
      issues.push(
        createIssue(
          'invalid-argument',
          path(),
          `expected a chunk made by tx (e.g. tx.goals[id].update({...})), got ${describe(value)}`,
        ),
      );
      return;
    }
    const schema = explicit ? options.schema : chunk.schema;
    if (schema === undefined || schema === null) return;
    const ranges = bySchema.get(schema);
    if (ranges) ranges.push([from, out.length]);
    else bySchema.set(schema, [[from, out.length]]);
  };
  visit(input, () => 'chunks');
  if (issues.length > 0) throw new InstantValidationError(issues);
  return bySchema;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object' && '__ops' in value)
    return 'an @instantdb/admin chunk (build it with instant-tx tx instead)';
  return typeof value === 'object' ? 'an object that is not a chunk' : `a ${typeof value}`;
}
