import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import type { JsonValue } from '../protocol/json.ts';
import { hasNulCharacter, NUL_CHARACTER_MESSAGE } from '../protocol/json-limits.ts';
import {
  canWriteLookupString,
  formatLookupString,
  LOOKUP_STRING_PREFIX,
  parseLookupString,
} from '../protocol/lookup-string.ts';
import { isUuid } from '../protocol/uuid.ts';
import { copyJson } from './copy-json.ts';

declare const lookupAttr: unique symbol;

/**
 * The string `lookup(attr, value)` returns. It is a string so it can be a property key
 * (`tx.users[lookup('email', x)]`); the type remembers the attribute so typed `tx`s can check it.
 */
export type LookupKey<Attr extends string = string> = string & { readonly [lookupAttr]: Attr };

/** A plain id string: any string except a {@link LookupKey}, so typed builders can check lookup attributes. */
export type PlainId = string & { readonly [lookupAttr]?: never };

/** A lookup as the builder records it: a typed value, turned into wire form only by the compiler. */
export interface Lookup {
  readonly kind: 'lookup';
  readonly attribute: string;
  readonly value: JsonValue;
}

/** An entity reference inside recorded steps: a UUID string or a {@link Lookup}. */
export type EntityRef = string | Lookup;

/** Marks our own key encoding, used when the attribute name cannot travel in Instant's `__` form. */
const SAFE_PREFIX = `${LOOKUP_STRING_PREFIX}\u0000`;

/**
 * How many levels of a wire step enclose a lookup's value: in the id slot it sits in `[attr, value]`
 * inside the step; as a link target, in `{attr: value}` inside a list inside the links object.
 */
export const LOOKUP_VALUE_OUTER = { id: 2, target: 4 } as const;

/**
 * Refers to the entity whose unique attribute `attribute` equals `value`, in place of an id:
 * `tx.users[lookup('email', 'a@b.co')]`, `tx.users(lookup(...))`, or as a link target.
 * Throws {@link InstantValidationError} for a value that is not JSON (NaN, undefined, ...).
 *
 * @example
 * tx.users[lookup('email', 'alyssa@example.com')].update({ name: 'Alyssa' })
 */
export function lookup<const Attr extends string>(attribute: Attr, value: unknown): LookupKey<Attr> {
  const issues: ValidationIssue[] = [];
  const record = createLookup(attribute, value, `lookup(${JSON.stringify(attribute)})`, issues);
  if (!record) throw new InstantValidationError(issues);
  return encodeLookupKey(record) as LookupKey<Attr>;
}

/**
 * Makes a frozen {@link Lookup} (the value deep-copied and checked like any value), recording problems in
 * `issues` (and returning undefined) instead of throwing. `outer` is where the value sits in the wire step
 * ({@link LOOKUP_VALUE_OUTER}).
 */
export function createLookup(
  attribute: unknown,
  value: unknown,
  path: string,
  issues: ValidationIssue[],
  outer: number = LOOKUP_VALUE_OUTER.id,
): Lookup | undefined {
  if (typeof attribute !== 'string' || attribute === '') {
    issues.push(createIssue('invalid-name', path, 'a lookup attribute must be a non-empty string'));
    return undefined;
  }
  if (hasNulCharacter(attribute)) {
    issues.push(createIssue('invalid-name', path, `the lookup attribute ${NUL_CHARACTER_MESSAGE}`));
    return undefined;
  }
  const before = issues.length;
  const copied = value === undefined ? undefined : copyJson(value, `${path}.value`, issues, outer);
  // A bad value nested inside (NaN, too deep, …) is dropped from the copy; the issue is what counts.
  if (copied === undefined || issues.length > before) {
    if (issues.length === before)
      issues.push(createIssue('invalid-value', `${path}.value`, 'a lookup value cannot be undefined'));
    return undefined;
  }
  return Object.freeze({ kind: 'lookup', attribute, value: copied });
}

function encodeLookupKey(record: Lookup): string {
  if (canWriteLookupString(record.attribute)) return formatLookupString(record.attribute, record.value);
  return SAFE_PREFIX + JSON.stringify([record.attribute, record.value]);
}

/**
 * Reads an entity reference from a property key or link target, recording problems in `issues`: a UUID
 * stays a string; a lookup key (ours or Instant's `lookup__attr__<json>`) becomes a {@link Lookup} whose
 * value is checked like any value (a lookup string may hold `1e309`, a NUL or a 10,000-deep array);
 * anything else is an `invalid-id` issue at `path`.
 *
 * @example
 * readEntityRef('lookup__email__"a@b.co"', 'users[…]', []) // { kind: 'lookup', attribute: 'email', value: 'a@b.co' }
 */
export function readEntityRef(
  key: string,
  path: string,
  issues: ValidationIssue[],
  outer: number = LOOKUP_VALUE_OUTER.id,
): EntityRef | undefined {
  if (isUuid(key)) return key;
  const decoded = decodeLookupKey(key);
  if (decoded) return createLookup(decoded[0], decoded[1], path, issues, outer);
  issues.push(
    createIssue(
      'invalid-id',
      path,
      `expected a UUID (make one with id()) or a lookup(attr, value), got ${abbreviate(JSON.stringify(key))}`,
    ),
  );
  return undefined;
}

/**
 * Like {@link readEntityRef}, but answers `undefined` for anything that is not a valid reference.
 *
 * @example
 * parseEntityRef('lookup__email__"a@b.co"') // { kind: 'lookup', attribute: 'email', value: 'a@b.co' }
 */
export function parseEntityRef(key: string): EntityRef | undefined {
  const issues: ValidationIssue[] = [];
  const ref = readEntityRef(key, 'ref', issues);
  return issues.length > 0 ? undefined : ref;
}

function decodeLookupKey(key: string): readonly [unknown, unknown] | undefined {
  if (!key.startsWith(SAFE_PREFIX)) return parseLookupString(key);
  try {
    const pair = JSON.parse(key.slice(SAFE_PREFIX.length)) as unknown;
    return Array.isArray(pair) && pair.length === 2 ? [pair[0], pair[1]] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Shortens text for an error message (a bad key may be megabytes long).
 *
 * @example
 * abbreviate('x'.repeat(100)) // 'xxx…' (80 characters)
 */
export function abbreviate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * True for a recorded {@link Lookup}.
 *
 * @example
 * isLookup(parseEntityRef(lookup('email', 'a@b.co'))) // true
 */
export function isLookup(ref: unknown): ref is Lookup {
  return typeof ref === 'object' && ref !== null && (ref as Lookup).kind === 'lookup';
}

/**
 * How an entity reference reads in error paths and `String(chunk)`: the UUID, or `lookup(email, "a@b.co")`.
 *
 * @example
 * describeEntityRef(parseEntityRef(lookup('email', 'a')) as EntityRef) // 'lookup(email, "a")'
 */
export function describeEntityRef(ref: EntityRef): string {
  return typeof ref === 'string' ? ref : `lookup(${ref.attribute}, ${JSON.stringify(ref.value)})`;
}
