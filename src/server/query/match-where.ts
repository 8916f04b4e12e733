import { isPlainObject } from '../../protocol/json.ts';
import type { EntityReader } from './entity-reader.ts';

/** What a path reached: its values, and whether every link on the way existed. */
interface Reached {
  readonly values: unknown[];
  readonly broken: boolean;
}

/**
 * True when entity `e` of namespace `ns` satisfies an InstaQL `where` object (keys AND-ed; `or`/`and`
 * lists; dotted paths through links; `$in`, `$not`/`$ne`, `$isNull`, `$gt`/`$gte`/`$lt`/`$lte`,
 * `$like`/`$ilike`). A path through links matches if any entity reached matches.
 */
export function matchesWhere(reader: EntityReader, e: string, ns: string, where: Record<string, unknown>): boolean {
  for (const [key, condition] of Object.entries(where)) {
    if (key === 'or') {
      if (!(condition as Record<string, unknown>[]).some((clause) => matchesWhere(reader, e, ns, clause))) return false;
    } else if (key === 'and') {
      if (!(condition as Record<string, unknown>[]).every((clause) => matchesWhere(reader, e, ns, clause)))
        return false;
    } else if (!matchesCondition(reader.reach(e, ns, key.split('.')), condition)) {
      return false;
    }
  }
  return true;
}

function matchesCondition(reached: Reached, condition: unknown): boolean {
  const { values } = reached;
  if (!isPlainObject(condition)) return values.some((value) => equal(value, condition));
  const [op, operand] = Object.entries(condition)[0] ?? [];
  switch (op) {
    case '$in':
    case 'in':
      return (operand as unknown[]).some((item) =>
        item === null ? isNull(reached) : values.some((value) => equal(value, item)),
      );
    case '$not':
    case '$ne':
      return !values.some((value) => equal(value, operand));
    case '$isNull':
      return operand === true ? isNull(reached) : !isNull(reached);
    case '$gt':
      return values.some((value) => compare(value, operand) > 0);
    case '$gte':
      return values.some((value) => compare(value, operand) >= 0);
    case '$lt':
      return values.some((value) => compare(value, operand) < 0);
    case '$lte':
      return values.some((value) => compare(value, operand) <= 0);
    case '$like':
      return values.some((value) => typeof value === 'string' && likePattern(String(operand), false).test(value));
    case '$ilike':
      return values.some((value) => typeof value === 'string' && likePattern(String(operand), true).test(value));
    default:
      return false;
  }
}

function isNull(reached: Reached): boolean {
  return reached.broken || reached.values.length === 0 || reached.values.every((value) => value === null);
}

function equal(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && a.length === 36 && b.length === 36)
    return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/** Orders two stored values: numbers numerically, date-like strings by time, other strings by code unit. */
export function compare(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number' || typeof b === 'number') {
    const [x, y] = [toTime(a), toTime(b)];
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const [sa, sb] = [String(a), String(b)];
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function toTime(value: unknown): number {
  return typeof value === 'number' ? value : Date.parse(String(value));
}

function likePattern(pattern: string, insensitive: boolean): RegExp {
  const source = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${source}$`, insensitive ? 'is' : 's');
}
