import { ApiError } from '../api/api-error.ts';
import type { Attr } from '../store/attr.ts';
import type { TripleStore } from '../store/triple-store.ts';

/** Instant's limit on an indexed, unique or link value: Postgres `pg_column_size(value) <= 1024`. */
const MAX_INDEXED_VALUE_BYTES = 1024;
/** What a JSON value costs Postgres beyond its text: the varlena, container and entry headers. */
const JSONB_OVERHEAD_BYTES = 12;
/** Postgres quotes at most this many bytes of a value in a constraint's error detail, then `...`. */
const QUOTED_VALUE_BYTES = 64;

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The hint Instant gives for a value a triple constraint rejected. */
function valueHint(attr: Attr, value: unknown, e: string): Record<string, unknown> {
  return {
    namespace: attr.ns,
    attribute: attr.label,
    value,
    'checked-data-type': attr.checkedType,
    'attr-id': attr.id,
    'entity-id': e,
  };
}

/**
 * Instant's error for a link whose value is not an entity id (its `valid_ref_value` constraint).
 */
export function invalidLinkValue(attr: Attr, value: unknown, e: string): ApiError {
  return new ApiError(400, 'validation-failed', 'Linked value must be a valid uuid.', valueHint(attr, value, e));
}

/**
 * Every check a triple must pass before it is stored, in the order Instant's constraints run: size of
 * an indexed value, checked data type, then uniqueness (a has-one link's target is unique too).
 */
export function checkTriple(store: TripleStore, attr: Attr, value: unknown, e: string): void {
  checkValueSize(attr, value, e);
  if (attr.valueType === 'blob') checkValueType(attr, value, e);
  checkUnique(store, attr, value, e);
}

/**
 * Rejects a value too large for an indexed, unique or link attribute (Instant's
 * `indexed_values_are_constrained`), quoting its first 64 bytes as Postgres does.
 */
export function checkValueSize(attr: Attr, value: unknown, e: string): void {
  if (!attr.indexed && !attr.unique && attr.valueType !== 'ref') return;
  const text = JSON.stringify(value) ?? 'null';
  if (Buffer.byteLength(text) + JSONB_OVERHEAD_BYTES <= MAX_INDEXED_VALUE_BYTES) return;
  const message = attr.unique
    ? 'Value is too large for a unique attribute.'
    : 'Value is too large for an indexed attribute.';
  throw new ApiError(400, 'validation-failed', message, {
    ...valueHint(attr, `${clipBytes(text, QUOTED_VALUE_BYTES)}...`, e),
    'value-too-large?': true,
  });
}

/** The longest prefix of `text` whose UTF-8 form fits in `bytes`, never splitting a character. */
function clipBytes(text: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const char of text) {
    used += Buffer.byteLength(char);
    if (used > bytes) break;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * Rejects a value that does not fit the attribute's checked data type, with Instant's message and
 * hint (the attribute, the value and the entity).
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
  throw new ApiError(400, 'validation-failed', message, valueHint(attr, value, e));
}

/**
 * Rejects a value another entity already holds in a unique attribute (`record-not-unique`). Nulls are
 * never equal, so any number of entities may hold null.
 */
export function checkUnique(store: TripleStore, attr: Attr, value: unknown, e: string): void {
  if (!attr.unique || attr.label === 'id' || value === null) return;
  const holder = store.withValue(attr.id, value).find((triple) => triple.e !== e);
  if (!holder) return;
  throw new ApiError(
    400,
    'record-not-unique',
    `\`${attr.label}\` is a unique attribute on \`${attr.ns}\` and an entity already exists with \`${attr.ns}.${attr.label}\` = ${JSON.stringify(value)}`,
    { 'record-type': 'triple', 'attr-id': attr.id, etype: attr.ns, label: attr.label, value },
  );
}
