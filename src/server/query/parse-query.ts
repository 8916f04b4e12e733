import type { AttrRegistry } from '../store/attr-registry.ts';
import { queryValidationError } from './query-errors.ts';
import { PlanNodes, type QueryPlan } from './query-plan.ts';
import { resolveForm } from './resolve-form.ts';
import { shapeForms } from './shape-forms.ts';

const NO_NUMBER_TEXT: ReadonlyMap<number, string> = new Map();

/** Who asks and when: aggregates are for admins only; `now` reads `$gt: "now"` and friends. */
export interface ParseOptions {
  readonly admin: boolean;
  readonly now?: number;
  /** Digits of the request's integers beyond 2^53, so error messages print them as sent. */
  readonly numberText?: ReadonlyMap<number, string>;
}

/**
 * Parses an InstaQL query into a {@link QueryPlan}, checking it as Instant does and throwing Instant's
 * `validation-failed` errors, in Instant's order:
 * 1. the shape of every node and `$` (`data-type: query`, e.g. "The limit field must be a positive
 *    integer. Got -1."),
 * 2. the operands of every `where` (`data-type: coerced-query`: `in` not a list, an unknown operator,
 *    `$isNull` not a boolean …),
 * 3. node by node against the attribute registry: link labels, value types (`"The data type of
 *    `etype.string` is `string`, but …"`), uuids for links, comparisons on indexed typed attributes,
 *    the order attribute and cursors, aggregates.
 *
 * `$$ruleParams` is not part of the query. The plan holds resolved attributes, coerced values and
 * compiled `$like` matchers; `executeQuery` runs it.
 */
export function parseQuery(
  registry: AttrRegistry,
  query: Readonly<Record<string, unknown>>,
  options: ParseOptions,
): QueryPlan {
  const { $$ruleParams: _ruleParams, ...root } = query;
  const problems: Parameters<typeof shapeForms>[1] = [];
  const forms = shapeForms(root, problems);
  if (problems[0]) throw queryValidationError('coerced-query', root, [problems[0]]);
  const context = {
    registry,
    root,
    admin: options.admin,
    now: options.now ?? Date.now(),
    numberText: options.numberText ?? NO_NUMBER_TEXT,
  };
  return PlanNodes.query(forms.map((form) => resolveForm(form, undefined, context)));
}
