import { copyJson } from '../builder/copy-json.ts';
import { compile, compileForRequest } from '../compiler/compile.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import { ENTITY_ACTIONS, type Step } from '../protocol/steps.ts';

const ACTIONS = new Set<string>([...ENTITY_ACTIONS, 'add-attr', 'delete-attr']);

/**
 * The wire steps for what `db.transact` was given: chunks (compiled, checked against the schema) or
 * ready-made steps (each checked to be an array starting with a known action, holding only JSON).
 *
 * @example
 * toSteps([tx.goals[goalId].update({ title: 'x' })], schema) // [['update', 'goals', goalId, { title: 'x' }]]
 */
export function toSteps(input: unknown, schema: unknown): Step[] {
  return readSteps(input, schema, compile);
}

/**
 * {@link toSteps} for one request body (`db.transact`): chunks are serialised straight from their nodes
 * (see `compileForRequest`), so the steps must go only to `JSON.stringify`, never to user code.
 *
 * @example
 * const body = JSON.stringify({ steps: toRequestSteps([tx.goals[goalId].delete()], undefined) });
 */
export function toRequestSteps(input: unknown, schema: unknown): Step[] {
  return readSteps(input, schema, compileForRequest);
}

function readSteps(input: unknown, schema: unknown, compileChunks: typeof compile): Step[] {
  const list = Array.isArray(input) ? input : [input];
  if (list.length === 0 || !list.every((item) => Array.isArray(item) && typeof item[0] === 'string')) {
    return compileChunks(list as object[], schema === undefined ? {} : { schema });
  }
  const issues: ValidationIssue[] = [];
  const steps = list.map((step, index) => {
    const path = `steps[${index}]`;
    if (!ACTIONS.has((step as unknown[])[0] as string))
      issues.push(
        createIssue('invalid-argument', `${path}[0]`, `unknown action ${JSON.stringify((step as unknown[])[0])}`),
      );
    return copyJson(step, path, issues) as unknown as Step;
  });
  if (issues.length > 0) throw new InstantValidationError(issues);
  return steps;
}
