import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import type { JsonObject } from '../protocol/json.ts';
import { copyJsonObject, describeValue, isPlainObject } from './copy-json.ts';
import { copyPlainObject } from './fast-copy.ts';
import {
  createLookup,
  describeEntityRef,
  isLookup,
  LOOKUP_VALUE_OUTER,
  readEntityRef,
  type EntityRef,
  type Lookup,
} from './lookup.ts';
import { formatPath } from './path.ts';
import { hasNulCharacter, NUL_CHARACTER_MESSAGE } from '../protocol/json-limits.ts';
import { isUuid } from '../protocol/uuid.ts';

/** A link target as recorded: a UUID string or a {@link Lookup}. */
export type RecordedLinkTarget = string | Lookup;

/** The object of a recorded `link`/`unlink`. */
export type RecordedLinks = { readonly [label: string]: RecordedLinkTarget | readonly RecordedLinkTarget[] };

/**
 * A step as the builder hands it out (`getSteps`): the wire tuple, except that entity references are
 * typed {@link Lookup} values until the compiler writes them in wire form. Always deep-frozen when
 * handed out; a chunk keeps its steps as nodes and makes these tuples on demand.
 */
export type RecordedStep =
  | readonly [action: 'create' | 'ruleParams', namespace: string, id: EntityRef, attrs: JsonObject]
  | readonly [action: 'update' | 'merge', namespace: string, id: EntityRef, attrs: JsonObject]
  | readonly [action: 'update' | 'merge', namespace: string, id: EntityRef, attrs: JsonObject, opts: JsonObject]
  | readonly [action: 'link' | 'unlink', namespace: string, id: EntityRef, links: RecordedLinks]
  | readonly [action: 'delete', namespace: string, id: EntityRef, args: null];

/** The builder-side action names. */
export type RecordedAction = RecordedStep[0];

/**
 * Where a step's arguments sit, for error paths: `goals[<id>].update`.
 *
 * @example
 * stepPath('goals', 'f4…', 'update') // 'goals[f4…].update'
 */
export function stepPath(namespace: string, id: EntityRef, action: string): string {
  return `${namespace}[${describeEntityRef(id)}].${action}`;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** The level of a step's attrs or links object in the wire step (the tuple itself is level 1). */
const ARGUMENT_LEVEL = 2;

/**
 * The private copy an attribute step (`create`, `update`, `merge`, `ruleParams`) keeps of `attrs`:
 * copied and checked in one pass; only when that pass refuses something does the checked walk run,
 * naming the path of each problem in the {@link InstantValidationError} it throws. Not frozen: the chunk
 * keeps it private and freezes it only when handing it out.
 *
 * @example
 * recordAttrs('update', 'goals', goalId, { title: 'Get fit' }) // { title: 'Get fit' }
 */
export function recordAttrs(action: AttrAction, namespace: string, id: EntityRef, attrs: unknown): JsonObject {
  return copyPlainObject(attrs, ARGUMENT_LEVEL) ?? checkAttrs(action, namespace, id, attrs, undefined)[0];
}

/**
 * Like {@link recordAttrs} for a call that also passed options: returns the attrs and the options to
 * send, if any. `opts` follows the official SDK: any truthy value is sent as a fifth element of
 * `update` and `merge` (and must be `{upsert?: boolean}`); other actions ignore it.
 *
 * @example
 * recordAttrsWithOpts('update', 'goals', goalId, { title: 'x' }, { upsert: false }) // [{ title: 'x' }, { upsert: false }]
 */
export function recordAttrsWithOpts(
  action: AttrAction,
  namespace: string,
  id: EntityRef,
  attrs: unknown,
  opts: unknown,
): readonly [JsonObject, JsonObject | undefined] {
  const [copied, copiedOpts] = checkAttrs(action, namespace, id, attrs, opts);
  return [copied, action === 'update' || action === 'merge' ? copiedOpts : undefined];
}

/** The actions whose argument is an attrs object. */
export type AttrAction = 'create' | 'update' | 'merge' | 'ruleParams';

/** The checked walk: copies (frozen) or throws with every problem and its path. */
function checkAttrs(
  action: AttrAction,
  namespace: string,
  id: EntityRef,
  attrs: unknown,
  opts: unknown,
): readonly [JsonObject, JsonObject | undefined] {
  const path = () => stepPath(namespace, id, action);
  const issues: ValidationIssue[] = [];
  const copied = copyJsonObject(attrs, path, issues);
  const copiedOpts = opts ? readUpsertOpts(opts, () => `${path()}(opts)`, issues) : undefined;
  if (issues.length > 0 || !copied) throw new InstantValidationError(issues);
  return [copied, copiedOpts];
}

function readUpsertOpts(opts: unknown, path: () => string, issues: ValidationIssue[]): JsonObject | undefined {
  const copied = copyJsonObject(opts, path, issues);
  const upsert = copied?.upsert;
  if (upsert !== undefined && upsert !== null && typeof upsert !== 'boolean') {
    issues.push(
      createIssue('invalid-argument', `${path()}.upsert`, `expected a boolean, got ${describeValue(upsert)}`),
    );
  }
  return copied;
}

/**
 * The private copy a `link` or `unlink` keeps of `links` when {@link copyUuidLinks} did not take them
 * (a lookup target, or something wrong): each label maps to one target or an array of targets, each a
 * UUID or a lookup, checked one by one; throws naming the path of each problem.
 *
 * @example
 * recordCheckedLinks('link', 'goals', goalId, { owner: lookup('email', 'a@b.co') }) // { owner: <the lookup> }
 */
export function recordCheckedLinks(
  action: 'link' | 'unlink',
  namespace: string,
  id: EntityRef,
  links: unknown,
): RecordedLinks {
  return copyLinks(links, stepPath(namespace, id, action));
}

/**
 * The one-pass copy of links whose every target is a UUID string, alone or in an array (the common
 * case); `undefined` for anything else, which {@link recordCheckedLinks} then checks.
 *
 * @example
 * copyUuidLinks({ todos: todoId }) // { todos: todoId }
 * copyUuidLinks({ owner: lookup('email', 'a@b.co') }) // undefined
 */
export function copyUuidLinks(links: unknown): RecordedLinks | undefined {
  if (!isPlainObject(links)) return undefined;
  const out: Record<string, string | string[]> = {};
  for (const label in links) {
    if (!hasOwn.call(links, label) || label === '' || label === '__proto__' || hasNulCharacter(label)) return undefined;
    const value = links[label];
    if (isUuid(value)) out[label] = value as string;
    else if (Array.isArray(value)) {
      const targets = copyUuidList(value);
      if (targets === undefined) return undefined;
      out[label] = targets;
    } else return undefined;
  }
  return out;
}

function copyUuidList(values: readonly unknown[]): string[] | undefined {
  const length = values.length;
  const out: string[] = new Array(length);
  for (let index = 0; index < length; index++) {
    const value = values[index];
    if (!isUuid(value)) return undefined;
    out[index] = value as string;
  }
  return out;
}

function copyLinks(links: unknown, path: string): RecordedLinks {
  const issues: ValidationIssue[] = [];
  if (!isPlainObject(links)) {
    issues.push(createIssue('invalid-argument', path, `expected {label: id | id[]}, got ${describeValue(links)}`));
    throw new InstantValidationError(issues);
  }
  const out: Record<string, RecordedLinkTarget | readonly RecordedLinkTarget[]> = {};
  for (const label of Object.keys(links)) {
    const value = links[label];
    if (value === undefined) continue;
    const labelPath = formatPath(path, [label]);
    if (label === '') issues.push(createIssue('invalid-name', labelPath, 'a link label must be a non-empty string'));
    if (hasNulCharacter(label))
      issues.push(createIssue('invalid-name', labelPath, `the link label ${NUL_CHARACTER_MESSAGE}`));
    const targets = Array.isArray(value)
      ? readTargetList(value, labelPath, issues)
      : readTarget(value, labelPath, issues);
    if (targets !== undefined) defineKey(out, label, targets);
  }
  if (issues.length > 0) throw new InstantValidationError(issues);
  return Object.freeze(out);
}

function readTargetList(
  values: readonly unknown[],
  path: string,
  issues: ValidationIssue[],
): readonly RecordedLinkTarget[] {
  const out: RecordedLinkTarget[] = [];
  values.forEach((value, index) => {
    const target = readTarget(value, `${path}[${index}]`, issues);
    if (Array.isArray(target)) out.push(...(target as RecordedLinkTarget[]));
    else if (target !== undefined) out.push(target as RecordedLinkTarget);
  });
  return Object.freeze(out);
}

/** A `{attr: value}` object is Instant's object lookup form; each entry is one lookup target. */
function readTarget(value: unknown, path: string, issues: ValidationIssue[]) {
  if (typeof value === 'string') return readEntityRef(value, path, issues, LOOKUP_VALUE_OUTER.target);
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    const lookups = Object.entries(value).map(([attr, v]) =>
      createLookup(attr, v, formatPath(path, [attr]), issues, LOOKUP_VALUE_OUTER.target),
    );
    if (lookups.some((entry) => entry === undefined)) return undefined;
    return lookups.length === 1 ? lookups[0] : Object.freeze(lookups as Lookup[]);
  }
  issues.push(
    createIssue(
      'invalid-id',
      path,
      `expected a UUID (make one with id()) or a lookup(attr, value), got ${describeValue(value)}`,
    ),
  );
  return undefined;
}

function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * True when some target of recorded links is a {@link Lookup}, which the wire writes differently.
 *
 * @example
 * hasLookupTarget({ todos: [todoId] }) // false
 */
export function hasLookupTarget(links: RecordedLinks): boolean {
  for (const label of Object.keys(links)) {
    const target = links[label];
    if (Array.isArray(target) ? target.some(isLookup) : isLookup(target)) return true;
  }
  return false;
}
