import { isUuid } from '../../protocol/uuid.ts';
import { type PathPart, printJson, queryValidationError } from './query-errors.ts';

/** A cursor checked for shape: Instant's join row `[entityId, attrId, value, createdAt?]`. */
export interface RawCursor {
  readonly entityId: string;
  readonly attrId: string;
  readonly value: unknown;
  readonly createdAt: number | undefined;
}

/**
 * Checks a `before`/`after` cursor as Instant's `assert-cursor!` does: a list of 3 or 4 items whose
 * second is a uuid (the attribute the cursor's query ordered by) and whose fourth, if given, is an
 * integer. Anything else is a `join-row?` validation error at `at`.
 */
export function parseCursor(cursor: unknown, root: unknown, at: readonly PathPart[]): RawCursor {
  const fail = (message: string): never => {
    throw queryValidationError('query', root, [{ expected: 'join-row?', in: at, message }]);
  };
  if (!Array.isArray(cursor)) return fail(`Expected a join row for the cursor, got ${printJson(cursor)}.`);
  if (cursor.length !== 3 && cursor.length !== 4)
    return fail(`Expected a join row with 4 items for the cursor, got ${printJson(cursor)}.`);
  const [entityId, attrId, value, createdAt] = cursor as unknown[];
  if (!isUuid(attrId))
    return fail(`Expected a join row with a uuid attribute id in the second position, got ${printJson(attrId)}.`);
  if (createdAt !== undefined && createdAt !== null && !Number.isSafeInteger(createdAt))
    return fail(`Expected a join row with an integer created_at in the last position, got ${printJson(createdAt)}.`);
  return {
    entityId: typeof entityId === 'string' && isUuid(entityId) ? entityId.toLowerCase() : String(entityId),
    attrId: (attrId as string).toLowerCase(),
    value,
    createdAt: typeof createdAt === 'number' ? createdAt : undefined,
  };
}
