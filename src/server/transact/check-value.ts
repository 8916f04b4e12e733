import { ApiError, validationFailed } from '../http/api-error.ts';
import type { Attr } from '../store/attr.ts';
import type { TripleStore } from '../store/triple-store.ts';

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Rejects a value that does not fit the attribute's checked data type, with Instant's message.
 */
export function checkValueType(attr: Attr, value: unknown, e: string): void {
  if (!attr.checkedType || value === null) return;
  const type = jsonType(value);
  const ok =
    attr.checkedType === 'date'
      ? type === 'number' || (type === 'string' && !Number.isNaN(Date.parse(value as string)))
      : type === attr.checkedType;
  if (ok) return;
  const message = `Invalid value type for ${attr.ns}.${attr.label}. Value must be a ${attr.checkedType} but the provided value type is ${type}.`;
  throw validationFailed(
    'tx-step',
    value,
    [message],
    [
      {
        hint: {
          namespace: attr.ns,
          attribute: attr.label,
          value,
          'checked-data-type': attr.checkedType,
          'attr-id': attr.id,
          'entity-id': e,
        },
      },
    ],
  );
}

/**
 * Rejects a value another entity already holds in a unique attribute (`record-not-unique`).
 */
export function checkUnique(store: TripleStore, attr: Attr, value: unknown, e: string): void {
  if (!attr.unique || attr.label === 'id') return;
  const holder = store.withValue(attr.id, value).find((triple) => triple.e !== e);
  if (!holder) return;
  throw new ApiError(
    400,
    'record-not-unique',
    `\`${attr.label}\` is a unique attribute on \`${attr.ns}\` and an entity already exists with \`${attr.ns}.${attr.label}\` = ${JSON.stringify(value)}`,
    { 'record-type': 'triple', 'attr-id': attr.id, etype: attr.ns, label: attr.label, value },
  );
}
