import type { Caller } from '../auth/authenticate.ts';
import { ApiError } from '../http/api-error.ts';
import { EntityReader } from '../query/entity-reader.ts';
import type { Storage } from '../transact/run-transaction.ts';
import { CelEvaluator } from './cel-evaluator.ts';
import { ruleProgram, type RuleAction, type Rules } from './rules.ts';

/** One entity a transaction touched, before and after it (undefined where it did not exist). */
export interface EntityChange {
  readonly ns: string;
  readonly id: string;
  readonly role: 'write' | 'delete' | 'link-target';
  readonly before: Record<string, unknown> | undefined;
  readonly after: Record<string, unknown> | undefined;
}

/** One rule evaluation, as the perms-check routes report it. */
export interface CheckResult {
  readonly ns: string;
  readonly id: string;
  readonly action: RuleAction;
  readonly code: string | undefined;
  readonly pass: boolean;
}

/**
 * Instant's permission rules for impersonated requests: view rules filter query rows silently; write
 * rules (create, update, delete, and view on link targets) reject the whole transaction.
 */
export class Permissions {
  readonly #rules: () => Rules;
  readonly #cel: CelEvaluator;

  constructor(rules: () => Rules, storage: Storage) {
    this.#rules = rules;
    this.#cel = new CelEvaluator((entity, ns, path) =>
      followRef(new EntityReader(storage.registry, storage.store), entity, ns, path),
    );
  }

  /** Evaluates the rule for one action on one entity. */
  check(
    caller: Caller,
    ns: string,
    action: RuleAction,
    data: Record<string, unknown>,
    ruleParams: Record<string, unknown>,
    newData?: Record<string, unknown>,
  ): CheckResult {
    const code = ruleProgram(this.#rules(), ns, action);
    const id = String(data.id);
    if (code === undefined) return { ns, id, action, code, pass: true };
    const auth = caller.kind === 'user' ? caller.user : {};
    const pass = this.#cel.allows(code, ns, { auth, data, ruleParams, ...(newData ? { newData } : {}) }, [ns, action]);
    return { ns, id, action, code, pass };
  }

  /** The row filter for a query by `caller`. */
  viewFilter(
    caller: Caller,
    ruleParams: Record<string, unknown>,
  ): (ns: string, entity: Record<string, unknown>) => boolean {
    return (ns, entity) => this.check(caller, ns, 'view', entity, ruleParams).pass;
  }

  /**
   * Evaluates the write rules for a transaction's changes, returning every result.
   */
  checkChanges(
    caller: Caller,
    changes: readonly EntityChange[],
    ruleParams: Map<string, Record<string, unknown>>,
  ): CheckResult[] {
    const results: CheckResult[] = [];
    for (const change of changes) {
      const params = ruleParams.get(`${change.ns}\u0000${change.id}`) ?? {};
      if (change.role === 'delete') {
        if (change.before) results.push(this.check(caller, change.ns, 'delete', change.before, params));
      } else if (change.role === 'link-target') {
        const target = change.after ?? change.before;
        if (target) results.push(this.check(caller, change.ns, 'view', target, params));
      } else if (change.after) {
        results.push(
          change.before
            ? this.check(caller, change.ns, 'update', change.before, params, change.after)
            : this.check(caller, change.ns, 'create', change.after, params, change.after),
        );
      }
    }
    return results;
  }

  /** Throws Instant's `permission-denied` for the first failed check. */
  static assertAllowed(results: readonly CheckResult[]): void {
    const failed = results.find((result) => !result.pass);
    if (failed)
      throw new ApiError(400, 'permission-denied', 'Permission denied: not perms-pass?', {
        input: [failed.ns, 'object'],
        expected: 'perms-pass?',
      });
  }
}

function followRef(reader: EntityReader, entity: Record<string, unknown>, ns: string, path: string): unknown[] {
  const id = entity.id;
  return typeof id === 'string' ? reader.reach(id, ns, path.split('.')).values : [];
}
