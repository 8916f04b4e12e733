import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import type { JsonObject } from '../protocol/json.ts';
import { copyFlatObject, copyJsonObject, describeValue, isPlainObject } from './copy-json.ts';
import {
  createLookup,
  describeEntityRef,
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
 * A step as the builder records it: the wire tuple, except that entity references are typed
 * {@link Lookup} values until the compiler writes them in wire form. Always deep-frozen.
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

/**
 * Records an attribute step (`create`, `update`, `merge`, `ruleParams`): copies, validates and freezes.
 * `opts` follows the official SDK: any truthy value is sent as a fifth element.
 */
export function recordAttrStep(
  action: 'create' | 'update' | 'merge' | 'ruleParams',
  namespace: string,
  id: EntityRef,
  attrs: unknown,
  opts: unknown,
): RecordedStep {
  const flat = opts ? undefined : copyFlatObject(attrs);
  if (flat) return Object.freeze([action, namespace, id, flat] as const);
  const path = () => stepPath(namespace, id, action);
  const issues: ValidationIssue[] = [];
  const copied = copyJsonObject(attrs, path, issues);
  const copiedOpts = opts ? readUpsertOpts(opts, () => `${path()}(opts)`, issues) : undefined;
  if (issues.length > 0 || !copied) throw new InstantValidationError(issues);
  if (copiedOpts && (action === 'update' || action === 'merge')) {
    return Object.freeze([action, namespace, id, copied, copiedOpts] as const);
  }
  return Object.freeze([action, namespace, id, copied] as const);
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
 * Records a `link` or `unlink`: each label maps to one target or an array of targets, each a UUID or a lookup.
 */
export function recordLinkStep(
  action: 'link' | 'unlink',
  namespace: string,
  id: EntityRef,
  links: unknown,
): RecordedStep {
  const copied = copyUuidLinks(links) ?? copyLinks(links, stepPath(namespace, id, action));
  return Object.freeze([action, namespace, id, copied] as const);
}

/** The common case without allocating a context: every target is a UUID string. Undefined otherwise. */
function copyUuidLinks(links: unknown): RecordedLinks | undefined {
  if (!isPlainObject(links)) return undefined;
  const out: Record<string, string> = {};
  for (const label in links) {
    const value = links[label];
    if (label === '' || label === '__proto__' || hasNulCharacter(label) || !isUuid(value)) return undefined;
    out[label] = value as string;
  }
  return Object.freeze(out);
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
 * Records a `delete`. The fourth slot is `null`, exactly as the official SDK sends it.
 *
 * @example
 * recordDeleteStep('goals', goalId) // ['delete', 'goals', goalId, null]
 */
export function recordDeleteStep(namespace: string, id: EntityRef): RecordedStep {
  return Object.freeze(['delete', namespace, id, null] as const);
}
