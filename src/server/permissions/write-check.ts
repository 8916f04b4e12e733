import type { EntityChanges, EntityData } from '../transact/entity-change.ts';
import type { RuleParamsMap } from '../transact/run-transaction.ts';
import type { RuleBindings } from './cel-evaluator.ts';
import type { RuleAction, Rules } from './rule-program.ts';

/** An action a write check runs: a rule action, or `link` / `unlink`. */
export type CheckAction = RuleAction | 'link' | 'unlink';

/**
 * One permission check a transaction needs, before it is evaluated: which rule, on which entity (or,
 * with scope `attr`, which attribute), with which variables. `program` is the rule's CEL, `true` when
 * no rule applies (allowed) or `false` for what only the admin may do.
 */
export interface WriteCheck {
  readonly scope: 'object' | 'attr';
  readonly action: CheckAction;
  readonly ns: string;
  readonly id: string;
  readonly program: string | boolean;
  /** The namespace of `linkedData`, for link and unlink checks. */
  readonly linkedNs?: string;
  readonly bindings: Omit<RuleBindings, 'auth'>;
}

/** What planning a transaction's checks reads: the rules, the changes and the ruleParams per entity. */
export interface CheckPlan {
  readonly rules: Rules;
  readonly changes: EntityChanges;
  readonly ruleParams: RuleParamsMap;
  /** Entities with the transaction's writes applied in memory (`newData` before the write). */
  readonly updated: ReadonlyMap<string, EntityData | undefined>;
  /** `request.modifiedFields` by entity id. */
  readonly modified: ReadonlyMap<string, readonly string[]>;
}

/**
 * A check on one entity (scope `object`); `linkedNs` for link and unlink rules.
 */
export function objectCheck(
  action: CheckAction,
  ns: string,
  id: string,
  program: string | boolean,
  bindings: WriteCheck['bindings'],
  linkedNs?: string,
): WriteCheck {
  return { scope: 'object', action, ns, id, program, bindings, ...(linkedNs ? { linkedNs } : {}) };
}

/**
 * The ruleParams given for an entity (empty when none were).
 */
export function paramsOf(plan: CheckPlan, key: string): Record<string, unknown> {
  return plan.ruleParams.get(key) ?? {};
}

/**
 * `request` for a create or update check of entity `e`.
 */
export function requestOf(plan: CheckPlan, e: string): { readonly modifiedFields: readonly string[] } {
  return { modifiedFields: plan.modified.get(e) ?? [] };
}

/**
 * The same checks once each, in their first order (Instant runs `distinct` checks).
 */
export function distinctChecks(checks: readonly WriteCheck[]): WriteCheck[] {
  const seen = new Set<string>();
  return checks.filter((check) => {
    const key = JSON.stringify([check.scope, check.action, check.ns, check.id, check.program, check.bindings]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
