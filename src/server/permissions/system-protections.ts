import { validationFailed, type ApiError } from '../api/api-error.ts';
import type { Op } from '../transact/ops.ts';
import { isSystemColumn } from '../transact/system-catalog.ts';
import { systemAttrWritable } from './system-writes.ts';

/** An op as Instant names it in errors: `[op, eid, attr id, value, opts]` or `["delete-entity", eid, etype]`. */
function vectorize(op: Op): unknown[] {
  switch (op.kind) {
    case 'delete-entity':
      return ['delete-entity', op.e, op.ns];
    case 'merge':
      return ['deep-merge-triple', op.e, op.attr.id, op.patch, null];
    case 'add-triple':
      return ['add-triple', op.e, op.attr.id, op.value, null];
    case 'retract':
      return ['retract-triple', op.e, op.attr.id, op.value, null];
  }
}

function txStepError(op: Op, message: string): ApiError {
  return validationFailed('tx-step', vectorize(op), [message]);
}

/**
 * Instant's protection of system namespaces (`prevent-system-column-updates`), for ops in `$`
 * namespaces: only the admin deletes system entities (anyone may delete a `$files` row), and system
 * attributes change only as {@link systemAttrWritable} allows. Throws `validation-failed` for `tx-step`
 * with Instant's message.
 */
export function assertSystemWritesAllowed(ops: readonly Op[], admin: boolean): void {
  for (const op of ops) {
    const ns = op.kind === 'delete-entity' ? op.ns : op.attr.ns;
    if (!ns.startsWith('$')) continue;
    if (op.kind === 'delete-entity') {
      if (!admin && ns !== '$files')
        throw txStepError(op, `${ns} is a system entity. You aren't allowed to delete this directly.`);
    } else if (isSystemColumn(ns, op.attr.label) && !systemAttrWritable(ns, op.attr.label, admin)) {
      throw txStepError(op, `${ns}.${op.attr.label} is a system column. You aren't allowed to change this directly.`);
    }
  }
}

/**
 * Instant refuses to create a `$users` row through a transaction (users sign up instead); this is the
 * error for the op that would.
 */
export function usersCreationError(op: Op): ApiError {
  return txStepError(op, "$users is a system entity. You aren't allowed to create this directly.");
}
