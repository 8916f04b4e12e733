import { readChunk, type ChunkRecord } from '../builder/chunk.ts';
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
 * await fetch(url, { method: 'POST', body: JSON.stringify({ steps }) });
 */
export function compile(input: ChunkInput, options: CompileOptions = {}): EntityStep[] {
  const records = collectChunks(input);
  const explicit = 'schema' in options;
  const issues: ValidationIssue[] = [];
  const steps: EntityStep[] = [];
  const checks = new Map<unknown, RecordedStep[]>();
  for (const record of records) {
    const schema = explicit ? options.schema : record.schema;
    if (schema !== undefined && schema !== null) pushAll(checks, schema, record.steps);
    for (const step of record.steps) steps.push(serializeStep(step));
  }
  for (const [schema, recorded] of checks) issues.push(...validateSteps(recorded, indexSchema(schema)));
  if (issues.length > 0) throw new InstantValidationError(issues);
  return steps;
}

function pushAll(groups: Map<unknown, RecordedStep[]>, key: unknown, steps: readonly RecordedStep[]): void {
  const group = groups.get(key);
  if (group) group.push(...steps);
  else groups.set(key, [...steps]);
}

function collectChunks(input: ChunkInput): ChunkRecord[] {
  const records: ChunkRecord[] = [];
  const issues: ValidationIssue[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}[${index}]`));
      return;
    }
    const record = readChunk(value);
    if (record) records.push(record);
    else issues.push(createIssue('invalid-argument', path, `expected a chunk made by tx (e.g. tx.goals[id].update({...})), got ${describe(value)}`));
  };
  visit(input, 'chunks');
  if (issues.length > 0) throw new InstantValidationError(issues);
  return records;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object' && '__ops' in value) return 'an @instantdb/admin chunk (build it with instant-tx tx instead)';
  return typeof value === 'object' ? 'an object that is not a chunk' : `a ${typeof value}`;
}
