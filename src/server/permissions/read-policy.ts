import type { ReadPolicy } from '../query/read-guard.ts';
import type { Caller } from './caller.ts';
import type { CheckResult, Permissions } from './permissions.ts';

/** One rule evaluated while reading: a `view` rule (`label` null) or the field rule of `label`. */
export interface ReadCheck {
  readonly result: CheckResult;
  readonly label: string | null;
  /** The entity the rule saw as `data`. */
  readonly record: Readonly<Record<string, unknown>>;
}

/**
 * What `caller` may see in a query, as the plain callbacks the query layer takes: each namespace's
 * `view` rule and its field rules, evaluated with `ruleParams` (the query caches each result per
 * entity). `observe` is told of every evaluation, as `query_perms_check` reports them.
 */
export function readPolicy(
  permissions: Permissions,
  caller: Caller,
  ruleParams: Record<string, unknown>,
  observe?: (check: ReadCheck) => void,
): ReadPolicy {
  return {
    canView: (ns, entity) => {
      const result = permissions.check(caller, ns, 'view', entity, ruleParams);
      observe?.({ result, label: null, record: entity });
      return result.pass;
    },
    requiredValues: (ns) => permissions.viewRequirements(caller, ns),
    hasFieldRule: (ns, label) => permissions.hasFieldRule(ns, label),
    canViewField: (ns, label, entity) => {
      const result = permissions.checkField(caller, ns, label, entity, ruleParams);
      if (!result) return true;
      observe?.({ result, label, record: entity });
      return result.pass;
    },
  };
}
