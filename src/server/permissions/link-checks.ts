import { entityKey, type EntityData } from '../transact/entity-change.ts';
import type { Op } from '../transact/ops.ts';
import { linkRuleProgram, ruleProgram } from './rule-program.ts';
import { objectCheck, paramsOf, requestOf, type CheckPlan, type WriteCheck } from './write-check.ts';

/** A link or unlink op: a write or retract of a ref attribute. */
type LinkOp = Extract<Op, { kind: 'add-triple' | 'retract' }>;

/** Both sides of a link op: keys, states before, ruleParams, and the link rules of each side. */
interface LinkSides {
  readonly action: 'link' | 'unlink';
  readonly ns: string;
  readonly revNs: string;
  readonly target: string;
  readonly key: string;
  readonly revKey: string;
  readonly entity: EntityData | undefined;
  readonly revEntity: EntityData | undefined;
  /** ruleParams for a check on the source (the target's, overridden by the source's) … */
  readonly sourceParams: Record<string, unknown>;
  /** … and on the target (the source's, overridden by the target's). */
  readonly targetParams: Record<string, unknown>;
  readonly program: string | undefined;
  readonly revProgram: string | undefined;
}

function sidesOf(plan: CheckPlan, op: LinkOp): LinkSides {
  const action = op.kind === 'add-triple' ? 'link' : 'unlink';
  const { ns, revNs, label, revLabel } = op.attr as typeof op.attr & { revNs: string; revLabel: string };
  const target = String(op.value);
  const key = entityKey(ns, op.e);
  const revKey = entityKey(revNs, target);
  const own = paramsOf(plan, key);
  const rev = paramsOf(plan, revKey);
  return {
    ...{ action, ns, revNs, target, key, revKey },
    entity: plan.changes.before.get(key),
    revEntity: plan.changes.before.get(revKey),
    sourceParams: { ...rev, ...own },
    targetParams: { ...own, ...rev },
    program: linkRuleProgram(plan.rules, ns, action, label, ns),
    revProgram: linkRuleProgram(plan.rules, revNs, action, revLabel, ns),
  };
}

const existence = (entity: EntityData | undefined): 'create' | 'update' => (entity ? 'update' : 'create');

/**
 * The checks of a link or unlink before the write, on the sides that exist: the `link` / `unlink`
 * rule of each side when either side has one (with `linkedData` the other side, and for links
 * `actions`), else `update` on the source and `view` on the target. Both see the ruleParams of both.
 */
export function linkChecksBeforeWrite(plan: CheckPlan, op: LinkOp): WriteCheck[] {
  const s = sidesOf(plan, op);
  if (s.program === undefined && s.revProgram === undefined) return fallbackBeforeWrite(plan, op, s);
  const link = s.action === 'link';
  const checks: WriteCheck[] = [];
  if (s.entity && s.program !== undefined) {
    const bindings = {
      ...{ data: s.entity, newData: plan.updated.get(s.key) ?? s.entity, ruleParams: s.sourceParams },
      ...(s.revEntity ? { linkedData: s.revEntity } : {}),
      ...(link ? { actions: { data: 'update', linkedData: existence(s.revEntity) } } : {}),
    };
    checks.push(objectCheck(s.action, s.ns, op.e, s.program, bindings, s.revNs));
  }
  if (s.revEntity && s.revProgram !== undefined) {
    const linked = link ? plan.updated.get(s.key) : s.entity;
    const bindings = {
      ...{ data: link ? { ...s.revEntity, $action: 'update' } : s.revEntity, ruleParams: s.targetParams },
      newData: plan.updated.get(s.revKey) ?? s.revEntity,
      ...(linked ? { linkedData: linked } : {}),
      ...(link ? { actions: { data: 'update', linkedData: existence(s.entity) } } : {}),
    };
    checks.push(objectCheck(s.action, s.revNs, s.target, s.revProgram, bindings, s.ns));
  }
  return checks;
}

/** Without link rules: `update` on an existing source, `view` on an existing target. */
function fallbackBeforeWrite(plan: CheckPlan, op: LinkOp, s: LinkSides): WriteCheck[] {
  const checks: WriteCheck[] = [];
  if (s.entity) {
    const program = ruleProgram(plan.rules, s.ns, 'update') ?? true;
    const newData = plan.updated.get(s.key) ?? s.entity;
    const request = requestOf(plan, op.e);
    checks.push(
      objectCheck('update', s.ns, op.e, program, { data: s.entity, newData, ruleParams: s.sourceParams, request }),
    );
  }
  if (s.revEntity) {
    const program = ruleProgram(plan.rules, s.revNs, 'view') ?? true;
    const newData = plan.updated.get(s.revKey) ?? s.revEntity;
    checks.push(
      objectCheck('view', s.revNs, s.target, program, { data: s.revEntity, newData, ruleParams: s.targetParams }),
    );
  }
  return checks;
}

/**
 * The checks of a link after the write, on the sides it created: their `link` rules when either side
 * has one (`actions.data` is `create`), else `create` on a new source and `view` on a new target.
 * Unlinks have none.
 */
export function linkChecksAfterWrite(plan: CheckPlan, op: LinkOp): WriteCheck[] {
  if (op.kind !== 'add-triple') return [];
  const s = sidesOf(plan, op);
  const created = plan.changes.after.get(s.key) ?? plan.updated.get(s.key) ?? { id: op.e };
  const revCreated = s.revEntity ? undefined : plan.changes.after.get(s.revKey);
  if (s.program === undefined && s.revProgram === undefined)
    return fallbackAfterWrite(plan, op, s, created, revCreated);
  const checks: WriteCheck[] = [];
  if (!s.entity && s.program !== undefined) {
    const linked = revCreated ?? s.revEntity;
    const bindings = {
      ...{ data: created, newData: created, ruleParams: s.sourceParams },
      ...(linked ? { linkedData: linked } : {}),
      actions: { data: 'create', linkedData: existence(s.revEntity) },
    };
    checks.push(objectCheck('link', s.ns, op.e, s.program, bindings, s.revNs));
  }
  if (revCreated && s.revProgram !== undefined) {
    const bindings = {
      ...{ data: revCreated, newData: revCreated, linkedData: created, ruleParams: s.targetParams },
      actions: { data: 'create', linkedData: existence(s.entity) },
    };
    checks.push(objectCheck('link', s.revNs, s.target, s.revProgram, bindings, s.ns));
  }
  return checks;
}

/** Without link rules: `create` on a new source, `view` on a new target. */
function fallbackAfterWrite(
  plan: CheckPlan,
  op: LinkOp,
  s: LinkSides,
  created: EntityData,
  revCreated: EntityData | undefined,
): WriteCheck[] {
  const checks: WriteCheck[] = [];
  if (!s.entity) {
    const program = ruleProgram(plan.rules, s.ns, 'create') ?? true;
    const request = requestOf(plan, op.e);
    const bindings = { data: created, newData: created, ruleParams: s.sourceParams, request };
    checks.push(objectCheck('create', s.ns, op.e, program, bindings));
  }
  if (revCreated) {
    const program = ruleProgram(plan.rules, s.revNs, 'view') ?? true;
    const bindings = { data: revCreated, newData: revCreated, ruleParams: s.targetParams };
    checks.push(objectCheck('view', s.revNs, s.target, program, bindings));
  }
  return checks;
}
