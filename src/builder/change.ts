import { enablePatches, Immer, type Objectish } from 'immer';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue } from '../errors/validation-issue.ts';
import { TOO_DEEP_MESSAGE } from '../protocol/json-limits.ts';
import { isPlainObject } from './copy-json.ts';
import { findTooDeep } from './find-too-deep.ts';
import { formatPath } from './path.ts';

let immer: Immer | undefined;

/**
 * Our immer, made on the first `change()` rather than at import, so importing instant-tx changes
 * nothing in the app's own immer (the package claims `sideEffects: false`). Patches are enabled then;
 * auto-freeze is off because immer's recursive freeze of a very deep new value overflows the stack
 * (the builder copies what it records, and freezes it when handing steps out).
 */
function getImmer(): Immer {
  if (immer === undefined) {
    enablePatches();
    immer = new Immer({ autoFreeze: false });
  }
  return immer;
}

/** The attributes a draft recipe changed: whole values to `update`, nested patches to `merge`. */
export interface DraftChanges {
  readonly update: Record<string, unknown> | undefined;
  readonly merge: Record<string, unknown> | undefined;
}

/** Returned by the object diff when a change cannot be written as an Instant deep-merge patch. */
const NOT_MERGEABLE = Symbol('not mergeable');

/**
 * Runs `recipe` on an immer draft of `current` and splits what changed into an `update` (attributes
 * replaced, removed or holding arrays) and a `merge` (changes inside nested objects), such that applying
 * them with Instant's semantics yields the recipe's result.
 *
 * Instant's merge deletes a key on `null` and replaces arrays whole, so: a removed key becomes `null`
 * in the merge (a removed top-level attribute is stored as `null`: Instant has no per-entity attribute
 * removal); a value set to `null` (which merge would read as "delete") or a new object holding nulls
 * falls back to an `update` of the whole top-level attribute; an array change sends the array.
 *
 * @example
 * draftChanges({ m: { a: 1 } }, (d) => { d.m.a = 2 }, 'goals[1].change') // { update: undefined, merge: { m: { a: 2 } } }
 */
export function draftChanges<T extends object>(current: T, recipe: (draft: T) => void, path: string): DraftChanges {
  if (!isPlainObject(current)) {
    throw new InstantValidationError([
      createIssue('invalid-argument', path, 'change() needs the current entity as a plain object'),
    ]);
  }
  // The entity sits where a step's attrs do, one level inside the step.
  assertNotTooDeep(current, 1, `${path}(current)`);
  const [next, patches] = getImmer().produceWithPatches(current as Objectish, (draft) => {
    recipe(draft as T);
  }) as unknown as readonly [Record<string, unknown>, readonly { path: readonly (string | number)[] }[]];
  const touched = new Set(patches.map((patch) => String(patch.path[0])));
  for (const key of touched) assertNotTooDeep(next[key], 2, formatPath(path, [key]));
  const base = current as Record<string, unknown>;
  const update: Record<string, unknown> = {};
  const merge: Record<string, unknown> = {};
  const removed: string[] = [];
  for (const key of touched) {
    const before = base[key];
    const after = next[key];
    if (Object.is(before, after)) continue;
    if (after === undefined) {
      removed.push(key);
      continue;
    }
    const patch = isPlainObject(before) && isPlainObject(after) ? diffObject(before, after) : NOT_MERGEABLE;
    if (patch === NOT_MERGEABLE) update[key] = after;
    else if (Object.keys(patch).length > 0) merge[key] = patch;
  }
  // A removed attribute is stored as null either way; put it where it costs no extra step.
  const removals = Object.keys(update).length > 0 && Object.keys(merge).length === 0 ? update : merge;
  for (const key of removed) removals[key] = null;
  return {
    update: Object.keys(update).length > 0 ? update : undefined,
    merge: Object.keys(merge).length > 0 ? merge : undefined,
  };
}

/** Diffing recurses, so values are measured first (without recursing past the limit). */
function assertNotTooDeep(value: unknown, outer: number, path: string): void {
  const tooDeep = findTooDeep(value, outer);
  if (tooDeep) {
    throw new InstantValidationError([createIssue('invalid-value', formatPath(path, tooDeep), TOO_DEEP_MESSAGE)]);
  }
}

/** The deep-merge patch that turns `before` into `after`, or NOT_MERGEABLE. Shared subtrees are skipped by identity. */
function diffObject(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> | typeof NOT_MERGEABLE {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(before)) {
    if (before[key] !== undefined && after[key] === undefined) patch[key] = null;
  }
  for (const key of Object.keys(after)) {
    const a = after[key];
    const b = before[key];
    if (a === undefined || Object.is(a, b)) continue;
    if (a === null) return NOT_MERGEABLE;
    if (isPlainObject(a) && isPlainObject(b)) {
      const inner = diffObject(b, a);
      if (inner === NOT_MERGEABLE) return NOT_MERGEABLE;
      if (Object.keys(inner).length > 0) patch[key] = inner;
    } else if (isPlainObject(a) && hasNullInObjects(a)) {
      return NOT_MERGEABLE;
    } else if (!deepEqual(a, b)) {
      patch[key] = a;
    }
  }
  return patch;
}

/** Nulls inside objects would be read by the merge as deletions, so such a value cannot be merged in. */
function hasNullInObjects(value: Record<string, unknown>): boolean {
  return Object.values(value).some((item) => item === null || (isPlainObject(item) && hasNullInObjects(item)));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}
