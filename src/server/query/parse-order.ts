import { isPlainObject } from '../../protocol/json.ts';
import { type PathPart, printJson, queryValidationError } from './query-errors.ts';
import type { Direction } from './query-plan.ts';

/** An `order` option checked for shape: one key and its direction. */
export interface RawOrder {
  readonly key: string;
  readonly direction: Direction;
}

/**
 * Checks an `order` option as Instant's `coerce-order` does: an object with at most one key whose value
 * is `"asc"` or `"desc"` (an empty object means no order). `at` is the option's path.
 */
export function parseOrder(order: unknown, root: unknown, at: readonly PathPart[]): RawOrder | undefined {
  if (!isPlainObject(order)) throw queryValidationError('query', root, [{ expected: 'map?', in: at }]);
  const entries = Object.entries(order);
  if (entries.length === 0) return undefined;
  if (entries.length > 1)
    throw queryValidationError('query', root, [
      {
        expected: 'single-key?',
        in: at,
        message: `We only support a single key in the \`order\` clause. Got ${entries.map(([key]) => key).join(',')}.`,
      },
    ]);
  const [key, direction] = entries[0]!;
  if (direction === 'asc' || direction === 'desc') return { key, direction };
  throw queryValidationError('query', root, [
    {
      expected: 'valid-direction?',
      in: [...at, key],
      message: `We only support "asc" or "desc" in the \`order\` clause. Got ${printJson(direction)}.`,
    },
  ]);
}
