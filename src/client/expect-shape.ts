import { InstantResponseError } from '../errors/instant-response-error.ts';
import { isPlainObject } from '../protocol/json.ts';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isPlainObject(value)) return `an object with keys ${Object.keys(value).slice(0, 5).join(', ') || '(none)'}`;
  return `a ${typeof value}`;
}

/**
 * Returns `body[key]` when `body` is an object whose `key` passes `check`, else throws an
 * {@link InstantResponseError} saying what came back.
 *
 * @example
 * expectField({ 'tx-id': 7 }, 'tx-id', 'a number', isNumber, 'POST /admin/transact') // 7
 * expectField({ 'tx-id': '7' }, 'tx-id', 'a number', isNumber, 'POST /admin/transact') // throws InstantResponseError
 */
export function expectField<T>(
  body: unknown,
  key: string,
  expected: string,
  check: (value: unknown) => value is T,
  site: string,
): T {
  const value = isPlainObject(body) ? body[key] : undefined;
  if (isPlainObject(body) && check(value)) return value;
  const [method, path] = site.split(' ');
  throw new InstantResponseError(
    method!,
    path!,
    `{"${key}": ${expected}}`,
    describe(isPlainObject(body) && key in body ? value : body),
  );
}

/**
 * Checks that a body is a JSON object.
 */
export function expectObject(body: unknown, site: string): Record<string, unknown> {
  if (isPlainObject(body)) return body;
  const [method, path] = site.split(' ');
  throw new InstantResponseError(method!, path!, 'a JSON object', describe(body));
}

export const isNumber = (value: unknown): value is number => typeof value === 'number';
export const isString = (value: unknown): value is string => typeof value === 'string';
export const isObject = (value: unknown): value is Record<string, unknown> => isPlainObject(value);
export const isObjectOrNull = (value: unknown): value is Record<string, unknown> | null =>
  value === null || isPlainObject(value);
