import { ApiError, validationFailed } from '../api/api-error.ts';
import { addAttr } from './add-attr.ts';
import { deleteAttr } from './delete-attr.ts';
import { expandAttrs, type ModeProblems } from './expand-attrs.ts';
import { expandLinks } from './expand-links.ts';
import type { Op } from './ops.ts';
import type { ParsedStep } from './parse-steps.ts';
import { resolveRef } from './resolve-ref.ts';
import type { TxContext } from './tx-context.ts';

/** Postgres takes at most this many parameters in one statement, the limit Instant's writes hit first. */
const MAX_STATEMENT_PARAMS = 65_535;
/** Parameters Instant's insert of one triple takes (index, app, entity, attribute, value). */
const PARAMS_PER_TRIPLE = 5;

/**
 * Turns parsed steps into internal ops, creating missing attributes (or collecting them when the
 * request forbids that), resolving lookups, and checking `create` / strict `update` against the state
 * before the transaction. Also returns the `ruleParams` given per entity.
 */
export function expandSteps(
  ctx: TxContext,
  steps: readonly ParsedStep[],
): { ops: Op[]; ruleParams: Map<string, Record<string, unknown>> } {
  const out: Expansion = { ops: [], ruleParams: new Map(), problems: { exist: [], missing: [] } };
  for (const step of steps) expandStep(ctx, step, out);
  const { ops, ruleParams, problems } = out;
  if (ctx.missing.size > 0) {
    const attributes = [...ctx.missing];
    throw validationFailed('steps', steps, ['Attributes are missing in your schema'], [{ hint: { attributes } }]);
  }
  if (problems.exist.length > 0)
    throw validationFailed('tx-step', steps, [`Creating entities that exist: ${problems.exist.join(', ')}`]);
  if (problems.missing.length > 0)
    throw validationFailed('tx-step', steps, [`Updating entities that don't exist: ${problems.missing.join(', ')}`]);
  checkParameterLimit(ops);
  return { ops, ruleParams };
}

/**
 * Rejects a transaction whose writes of one kind would take more parameters than one Postgres
 * statement allows, with Instant's `parameter-limit-exceeded` (clients split the batch and retry).
 */
function checkParameterLimit(ops: readonly Op[]): void {
  const counts = new Map<Op['kind'], number>();
  for (const op of ops) counts.set(op.kind, (counts.get(op.kind) ?? 0) + 1);
  if (![...counts.values()].some((count) => count * PARAMS_PER_TRIPLE > MAX_STATEMENT_PARAMS)) return;
  throw new ApiError(400, 'parameter-limit-exceeded', 'There are too many parameters in the transaction or query.', {
    message: 'Consider batching transactions to reduce the number of writes in a single transaction.',
    'doc-urls': ['https://www.instantdb.com/docs/instaml#batching-transactions'],
  });
}

/** What one step's expansion writes to: the ops, the ruleParams per entity, and mode problems. */
interface Expansion {
  readonly ops: Op[];
  readonly ruleParams: Map<string, Record<string, unknown>>;
  readonly problems: ModeProblems;
}

type Expander<A extends ParsedStep['action']> = (
  ctx: TxContext,
  step: ParsedStep & { readonly action: A },
  out: Expansion,
) => void;

/**
 * How each action expands, keyed by every action a parsed step can have: adding an action to
 * `ParsedStep` without an entry here fails to compile.
 */
const EXPANDERS: { readonly [A in ParsedStep['action']]: Expander<A> } = {
  'add-attr': (ctx, step) => addAttr(ctx.registry, ctx.store, step.attr),
  // Attribute changes take effect at once: Instant runs them before any triple, and later steps of the
  // same request must see them.
  'delete-attr': (ctx, step) => deleteAttr(ctx, step.id),
  delete: (ctx, step, out) => {
    const e = resolveRef(ctx, step.ns, step.ref, false);
    if (e) out.ops.push({ kind: 'delete-entity', e, ns: step.ns });
  },
  ruleParams: (ctx, step, out) => {
    const e = resolveRef(ctx, step.ns, step.ref, false);
    const key = `${step.ns}\u0000${e}`;
    if (e) out.ruleParams.set(key, { ...out.ruleParams.get(key), ...step.args });
  },
  link: (ctx, step, out) => expandLinks(ctx, step, out.ops),
  unlink: (ctx, step, out) => expandLinks(ctx, step, out.ops),
  create: (ctx, step, out) => expandAttrs(ctx, step, out.ops, out.problems),
  update: (ctx, step, out) => expandAttrs(ctx, step, out.ops, out.problems),
  merge: (ctx, step, out) => expandAttrs(ctx, step, out.ops, out.problems),
};

function expandStep(ctx: TxContext, step: ParsedStep, out: Expansion): void {
  (EXPANDERS[step.action] as Expander<typeof step.action>)(ctx, step as never, out);
}
