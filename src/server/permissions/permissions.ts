import type { Caller } from './caller.ts';
import { ApiError } from '../api/api-error.ts';
import { EntityReader, type LabelValue } from '../read/entity-reader.ts';
import type { Storage } from '../store/storage.ts';
import type { EntityChanges } from '../transact/entity-change.ts';
import type { RuleParamsMap } from '../transact/run-transaction.ts';
import { CelEvaluator } from './cel-evaluator.ts';
import { modifiedFields, updatedEntities } from './entity-updates.ts';
import { fieldRuleProgram, ruleProgram, type RuleAction, type Rules } from './rule-program.ts';
import { type RuleRequirement, ruleRequirements } from './rule-requirements.ts';
import { assertSystemWritesAllowed } from './system-protections.ts';
import type { CheckAction, WriteCheck } from './write-check.ts';
import { checksAfterWrite, checksBeforeWrite } from './write-checks.ts';

/** One rule evaluation, as the perms-check routes report it. */
export interface CheckResult {
  readonly scope: 'object' | 'attr';
  readonly ns: string;
  readonly id: string;
  readonly action: CheckAction;
  /** The rule's CEL; undefined when no rule applied (or the check is admin-only). */
  readonly code: string | undefined;
  readonly pass: boolean;
}

/**
 * Instant's permission rules for impersonated requests: view and field rules silently filter what a
 * query reads (see `readPolicy`); write rules (create, update, delete, link, unlink, view on link
 * targets, attrs) reject the whole transaction, as do writes to system namespaces that only the admin
 * (or no one) may make.
 */
export class Permissions {
  readonly #rules: () => Rules;
  readonly #cel: CelEvaluator;
  readonly #requirements = new Map<string, readonly RuleRequirement[]>();

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
    const program = ruleProgram(this.#rules(), ns, action) ?? true;
    const bindings = { data, ruleParams, ...(newData ? { newData } : {}) };
    return this.#run(caller, { scope: 'object', action, ns, id: String(data.id), program, bindings });
  }

  /**
   * The `{label, json}` values every entity of `ns` that `caller` may view has (see `ruleRequirements`),
   * with `auth` keys resolved for this caller; a requirement on an `auth` key that is not a string,
   * number or boolean is dropped (the rule decides those rows). Empty when no rule applies.
   */
  viewRequirements(caller: Caller, ns: string): LabelValue[] {
    const program = ruleProgram(this.#rules(), ns, 'view');
    if (program === undefined) return [];
    let requirements = this.#requirements.get(program);
    if (!requirements) {
      requirements = ruleRequirements(this.#cel.syntaxTree(program));
      this.#requirements.set(program, requirements);
    }
    const auth: Readonly<Record<string, unknown>> = caller.kind === 'user' ? caller.user : {};
    return requirements.flatMap(({ label, term }) => {
      if (term.kind === 'literal') return [{ label, json: term.json }];
      const value = Object.hasOwn(auth, term.key) ? auth[term.key] : undefined;
      const usable = typeof value === 'string' || typeof value === 'boolean' || Number.isFinite(value);
      return usable ? [{ label, json: JSON.stringify(value) }] : [];
    });
  }

  /** Whether `ns` has a field rule for `label` (`ns.fields.label`; never for `id`). */
  hasFieldRule(ns: string, label: string): boolean {
    return fieldRuleProgram(this.#rules(), ns, label) !== undefined;
  }

  /** Evaluates the field rule of `ns.label` on one entity (a `view` check); undefined when there is none. */
  checkField(
    caller: Caller,
    ns: string,
    label: string,
    data: Record<string, unknown>,
    ruleParams: Record<string, unknown>,
  ): CheckResult | undefined {
    const program = fieldRuleProgram(this.#rules(), ns, label);
    if (program === undefined) return undefined;
    return this.#run(caller, {
      scope: 'object',
      action: 'view',
      ns,
      id: String(data.id),
      program,
      bindings: { data, ruleParams },
    });
  }

  /**
   * Evaluates the write checks of one phase of a transaction (see `EntityChanges`), returning every
   * result. Before the write, a change to a system namespace the caller may not make throws Instant's
   * `validation-failed` first; after it, so does the creation of a `$users` row.
   */
  checkChanges(caller: Caller, changes: EntityChanges, ruleParams: RuleParamsMap): CheckResult[] {
    const before = changes.phase === 'before-write';
    if (before) assertSystemWritesAllowed(changes.ops, caller.kind === 'admin');
    const updated = updatedEntities(changes.before, changes.ops);
    const plan = { rules: this.#rules(), changes, ruleParams, updated, modified: modifiedFields(changes.ops) };
    return (before ? checksBeforeWrite(plan) : checksAfterWrite(plan)).map((check) => this.#run(caller, check));
  }

  #run(caller: Caller, check: WriteCheck): CheckResult {
    const { scope, ns, id, action, program } = check;
    if (typeof program === 'boolean') return { scope, ns, id, action, code: undefined, pass: program };
    const auth = caller.kind === 'user' ? caller.user : {};
    const site = { ns, rule: [ns, action] as const, ...(check.linkedNs ? { linkedNs: check.linkedNs } : {}) };
    const pass = this.#cel.allows(program, site, { auth, ...check.bindings });
    return { scope, ns, id, action, code: program, pass };
  }

  /** Throws Instant's `permission-denied` for the first failed check. */
  static assertAllowed(results: readonly CheckResult[]): void {
    const failed = results.find((result) => !result.pass);
    if (failed)
      throw new ApiError(400, 'permission-denied', 'Permission denied: not perms-pass?', {
        input: [failed.ns, failed.scope],
        expected: 'perms-pass?',
      });
  }
}

function followRef(reader: EntityReader, entity: Record<string, unknown>, ns: string, path: string): unknown[] {
  const id = entity.id;
  return typeof id === 'string' ? reader.reach(id, ns, path.split('.')).values : [];
}
