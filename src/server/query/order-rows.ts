import type { EntityReader } from '../read/entity-reader.ts';
import { compareValues } from './compare-values.ts';
import { readStoredDate } from './date-value.ts';
import type { Cursor, OrderNode } from './query-plan.ts';

/** A row and its order key. */
interface Keyed {
  readonly id: string;
  readonly key: unknown;
}

/** A row's order key: its creation time, or the attribute's first value (read as a date for dates). */
function keyOf(reader: EntityReader, ns: string, order: OrderNode, id: string): unknown {
  if (order.kind === 'createdAt') return reader.createdAt(id, ns);
  const value = reader.values(id, order.attr)[0] ?? null;
  return order.dates ? readStoredDate(value) : value;
}

/** Compares two rows by (key, id) in the order's direction. */
function compareKeyed(order: OrderNode, a: Keyed, b: Keyed): number {
  const sign = order.direction === 'desc' ? -1 : 1;
  return sign * (compareValues(a.key, b.key) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Sorts row ids by the order key, ties by entity id (both reversed for `desc`); missing values first.
 */
export function sortRows(reader: EntityReader, ns: string, ids: readonly string[], order: OrderNode): string[] {
  const keyed = ids.map((id) => ({ id, key: keyOf(reader, ns, order, id) }));
  keyed.sort((a, b) => compareKeyed(order, a, b));
  return keyed.map((row) => row.id);
}

/**
 * Keeps the (sorted) rows strictly after `after` and before `before`, or including the cursor's own
 * position when it is inclusive. A cursor's position is its value (ordering by an attribute) or its
 * creation time (`serverCreatedAt`), then its entity id.
 */
export function applyCursors(
  reader: EntityReader,
  ns: string,
  ids: readonly string[],
  order: OrderNode,
  after: Cursor | undefined,
  before: Cursor | undefined,
): readonly string[] {
  if (!after && !before) return ids;
  const position = (cursor: Cursor): Keyed => ({
    id: cursor.entityId,
    key:
      order.kind === 'createdAt'
        ? (cursor.createdAt ?? null)
        : order.dates
          ? readStoredDate(cursor.value)
          : cursor.value,
  });
  const [start, end] = [after && position(after), before && position(before)];
  return ids.filter((id) => {
    const row = { id, key: keyOf(reader, ns, order, id) };
    if (start && after) {
      const side = compareKeyed(order, row, start);
      if (after.inclusive ? side < 0 : side <= 0) return false;
    }
    if (end && before) {
      const side = compareKeyed(order, row, end);
      if (before.inclusive ? side > 0 : side >= 0) return false;
    }
    return true;
  });
}
