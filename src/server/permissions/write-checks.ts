import { attrToWire } from '../store/attr.ts';
import { entityKey } from '../transact/entity-change.ts';
import type { Op } from '../transact/ops.ts';
import { linkChecksAfterWrite, linkChecksBeforeWrite } from './link-checks.ts';
import { ruleProgram } from './rule-program.ts';
import { usersCreationError } from './system-protections.ts';
import { distinctChecks, objectCheck, paramsOf, requestOf, type CheckPlan, type WriteCheck } from './write-check.ts';

/**
 * The checks Instant runs before a transaction writes: `delete-attr` (admin only), `delete` for every
 * deleted entity — cascaded ones and ones that do not exist included — `update` for existing entities
 * written or merged, and the checks of links and unlinks ({@link linkChecksBeforeWrite}).
 */
export function checksBeforeWrite(plan: CheckPlan): WriteCheck[] {
  const attrChecks = plan.changes.deletedAttrs.map(
    (id): WriteCheck => ({
      ...{ scope: 'attr', action: 'delete', ns: 'attrs', id, program: false },
      bindings: { data: {}, ruleParams: {} },
    }),
  );
  return distinctChecks([...attrChecks, ...plan.changes.ops.flatMap((op) => opChecksBeforeWrite(plan, op))]);
}

function opChecksBeforeWrite(plan: CheckPlan, op: Op): WriteCheck[] {
  if (op.kind === 'delete-entity') {
    const key = entityKey(op.ns, op.e);
    const program = ruleProgram(plan.rules, op.ns, 'delete') ?? true;
    const bindings = { data: plan.changes.before.get(key) ?? {}, ruleParams: paramsOf(plan, key) };
    return [objectCheck('delete', op.ns, op.e, program, bindings)];
  }
  if (op.kind !== 'merge' && op.attr.valueType === 'ref') return linkChecksBeforeWrite(plan, op);
  const key = entityKey(op.attr.ns, op.e);
  const entity = plan.changes.before.get(key);
  if (op.kind === 'retract' || !entity) return [];
  const program = ruleProgram(plan.rules, op.attr.ns, 'update') ?? true;
  const bindings = {
    ...{ data: entity, newData: plan.updated.get(key) ?? entity, ruleParams: paramsOf(plan, key) },
    request: requestOf(plan, op.e),
  };
  return [objectCheck('update', op.attr.ns, op.e, program, bindings)];
}

/**
 * The checks Instant runs after the writes: `attrs.allow.create` for every attribute created, `create`
 * for entities written that did not exist (`data` and `newData` are the entity as written), and the
 * checks of new links ({@link linkChecksAfterWrite}). Creating a `$users` row is refused outright.
 */
export function checksAfterWrite(plan: CheckPlan): WriteCheck[] {
  const program = ruleProgram(plan.rules, 'attrs', 'create') ?? true;
  const attrChecks = plan.changes.createdAttrs.map(
    (attr): WriteCheck => ({
      ...{ scope: 'attr', action: 'create', ns: 'attrs', id: attr.id, program },
      bindings: { data: attrToWire(attr), ruleParams: {} },
    }),
  );
  return distinctChecks([...attrChecks, ...plan.changes.ops.flatMap((op) => opChecksAfterWrite(plan, op))]);
}

function opChecksAfterWrite(plan: CheckPlan, op: Op): WriteCheck[] {
  if (op.kind === 'delete-entity' || op.kind === 'retract') return [];
  if (op.attr.valueType === 'ref') return op.kind === 'add-triple' ? linkChecksAfterWrite(plan, op) : [];
  const key = entityKey(op.attr.ns, op.e);
  if (plan.changes.before.get(key)) return [];
  if (op.attr.ns === '$users') throw usersCreationError(op);
  const created = plan.changes.after.get(key) ?? plan.updated.get(key) ?? { id: op.e };
  const program = ruleProgram(plan.rules, op.attr.ns, 'create') ?? true;
  const bindings = {
    ...{ data: created, newData: created, ruleParams: paramsOf(plan, key) },
    request: requestOf(plan, op.e),
  };
  return [objectCheck('create', op.attr.ns, op.e, program, bindings)];
}
