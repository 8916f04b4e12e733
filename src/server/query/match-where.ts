import { assertNever } from '../../compiler/assert-never.ts';
import type { EntityReader } from '../read/entity-reader.ts';
import { compareTyped, equalValues } from './compare-values.ts';
import { readStoredDate } from './date-value.ts';
import type { CondNode, Operator, WhereNode } from './query-plan.ts';
import { reachValues } from './reach-values.ts';
import type { ReadGuard } from './read-guard.ts';
import { ValueSet } from './value-set.ts';

/**
 * True when entity `id` satisfies a `where` tree. A condition holds when some value its path reaches
 * satisfies the operator (a missing link or value reads as `null`, see `reachValues`). With a `guard`,
 * only what the caller may view is reached.
 */
export function matchesWhere(reader: EntityReader, id: string, where: WhereNode, guard?: ReadGuard): boolean {
  switch (where.kind) {
    case 'and':
      return where.clauses.every((clause) => matchesWhere(reader, id, clause, guard));
    case 'or':
      return where.clauses.some((clause) => matchesWhere(reader, id, clause, guard));
    case 'cond':
      return matchesCond(reader, id, where, guard);
    default:
      return assertNever(where);
  }
}

function matchesCond(reader: EntityReader, id: string, cond: CondNode, guard: ReadGuard | undefined): boolean {
  const reached = reachValues(reader, id, cond.path, guard, cond.op.kind === 'isNull');
  const values = cond.dates ? reached.map(readStoredDate) : reached;
  return values.some((value) => matchesValue(value, cond.op));
}

/** Whether one reached value (`null` when missing) satisfies an operator. */
function matchesValue(value: unknown, op: Operator): boolean {
  switch (op.kind) {
    case 'eq':
      return equalValues(value, op.value);
    case 'in':
      return ValueSet.of(op.values).has(value);
    case 'not':
      return value === null || !equalValues(value, op.value);
    case 'isNull':
      return (value === null) === op.isNull;
    case 'gt':
      return (compareTyped(value, op.value) ?? 0) > 0;
    case 'gte':
      return (compareTyped(value, op.value) ?? -1) >= 0;
    case 'lt':
      return (compareTyped(value, op.value) ?? 0) < 0;
    case 'lte':
      return (compareTyped(value, op.value) ?? 1) <= 0;
    case 'like':
      return typeof value === 'string' && op.matches(value);
    default:
      return assertNever(op);
  }
}
