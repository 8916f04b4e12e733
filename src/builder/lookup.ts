import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import type { JsonValue } from '../protocol/json.ts';
import { canWriteLookupString, formatLookupString, LOOKUP_STRING_PREFIX, parseLookupString } from '../protocol/lookup-string.ts';
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
 * Makes a frozen {@link Lookup}, recording problems in `issues` (and returning undefined) instead of throwing.
 *
 * @example
 * createLookup('email', 'a@b.co', 'lookup', [])
 */
export function createLookup(attribute: unknown, value: unknown, path: string, issues: ValidationIssue[]): Lookup | undefined {
  if (typeof attribute !== 'string' || attribute === '') {
    issues.push(createIssue('invalid-name', path, 'a lookup attribute must be a non-empty string'));
    return undefined;
  }
  const before = issues.length;
  const copied = value === undefined ? undefined : copyJson(value, `${path}.value`, issues);
  if (copied === undefined) {
    if (issues.length === before) issues.push(createIssue('invalid-value', `${path}.value`, 'a lookup value cannot be undefined'));
    return undefined;
  }
  return Object.freeze({ kind: 'lookup', attribute, value: copied });
}

function encodeLookupKey(record: Lookup): string {
  if (canWriteLookupString(record.attribute) && !record.attribute.startsWith('\u0000')) {
    return formatLookupString(record.attribute, record.value);
  }
  return SAFE_PREFIX + JSON.stringify([record.attribute, record.value]);
}

/**
 * Reads an entity reference from a property key or link target: a UUID stays a string, a lookup key
 * (ours or Instant's `lookup__attr__<json>`) becomes a {@link Lookup}; anything else is undefined.
 *
 * @example
 * parseEntityRef('lookup__email__"a@b.co"') // { kind: 'lookup', attribute: 'email', value: 'a@b.co' }
 */
export function parseEntityRef(key: string): EntityRef | undefined {
  if (isUuid(key)) return key;
  if (!key.startsWith(LOOKUP_STRING_PREFIX)) return undefined;
  if (key.startsWith(SAFE_PREFIX)) {
    const [attribute, value] = JSON.parse(key.slice(SAFE_PREFIX.length)) as [string, JsonValue];
    return Object.freeze({ kind: 'lookup', attribute, value });
  }
  const parsed = parseLookupString(key);
  return parsed && Object.freeze({ kind: 'lookup', attribute: parsed[0], value: parsed[1] });
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
