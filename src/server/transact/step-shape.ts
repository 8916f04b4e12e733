import { isPlainObject } from '../../protocol/json.ts';
import { LOOKUP_STRING_PREFIX } from '../../protocol/lookup-string.ts';
import { ENTITY_ACTIONS } from '../../protocol/steps.ts';
import { isUuid } from '../../protocol/uuid.ts';
import type { SpecIssue } from './spec-failed.ts';

/**
 * A problem with the shape of one admin step: where Instant's admin spec reports it (`expected`, `in`),
 * plus a sentence for people. Only `expected` and `in` go on the wire; the CLI shows `message`.
 */
export interface StepIssue extends SpecIssue {
  readonly message: string;
}

/** Checks one argument of a step at `path`; returns the problem, if any. */
type SlotCheck = (value: unknown, path: readonly (number | string)[], where: string) => StepIssue | undefined;

/** One argument a step takes: its name (for messages) and check; optional ones may be left out. */
interface Slot {
  readonly name: string;
  readonly expected: string;
  readonly check: SlotCheck;
  readonly optional?: boolean;
}

const LOOKUP_EXPECTED = 'instant.admin.model/lookup?';

/** The actions whose third element is an entity id or lookup: the wire's entity actions. */
const ENTITY_ACTION_SET: ReadonlySet<string> = new Set(ENTITY_ACTIONS);

/**
 * True for a valid entity reference: a UUID, a `lookup__…` string, an `[attr, value]` pair or an
 * `{attr: value}` object (Instant's `::lookup` spec; the object's single key is checked later).
 *
 * @example
 * isEntityRef(['email', 'a@b.co']) // true
 */
export function isEntityRef(value: unknown): boolean {
  if (typeof value === 'string') return isUuid(value) || value.startsWith(LOOKUP_STRING_PREFIX);
  if (Array.isArray(value)) return value.length === 2 && typeof value[0] === 'string';
  return isPlainObject(value);
}

const issue = (expected: string, path: readonly (number | string)[], message: string): StepIssue => ({
  expected,
  in: path,
  message,
});

const namespace: Slot = {
  name: 'namespace',
  expected: 'string?',
  check: (value, path, where) =>
    typeof value === 'string' && value !== ''
      ? undefined
      : issue('string?', path, `${where}: the namespace must be a non-empty string.`),
};

const entity: Slot = {
  name: 'entity id',
  expected: LOOKUP_EXPECTED,
  check: (value, path, where) => {
    if (isEntityRef(value)) return undefined;
    if (Array.isArray(value) && value.length === 2)
      return issue('string?', [...path, 0], `${where}: a lookup is [attribute, value].`);
    return issue('(= (count %) 2)', path, `${where}: a lookup is [attribute, value].`);
  },
};

const object = (name: string): Slot => ({
  name,
  expected: 'map?',
  check: (value, path, where) =>
    isPlainObject(value) ? undefined : issue('map?', path, `${where} takes an object of ${name}.`),
});

const options: Slot = {
  name: 'options',
  expected: 'map?',
  optional: true,
  check: (value, path, where) => {
    if (value === null) return undefined;
    if (!isPlainObject(value)) return issue('map?', path, `${where}: options must be an object.`);
    const upsert = value.upsert;
    if (upsert === undefined || upsert === null || typeof upsert === 'boolean') return undefined;
    return issue('boolean?', [...path, 'upsert'], `${where}: upsert must be a boolean.`);
  },
};

const links: Slot = {
  name: 'links',
  expected: 'map?',
  check: (value, path, where) => {
    if (!isPlainObject(value)) return issue('map?', path, `${where} takes an object of links.`);
    for (const [label, target] of Object.entries(value)) {
      const targets = Array.isArray(target) ? target : [target];
      for (const [index, one] of targets.entries()) {
        if (isEntityRef(one)) continue;
        const at = Array.isArray(target) ? [...path, label, 1, index] : [...path, label, 1];
        return issue(LOOKUP_EXPECTED, at, `Linked value must be a valid uuid: ${JSON.stringify(one)}`);
      }
    }
    return undefined;
  },
};

const attrObject: Slot = {
  name: 'attribute',
  expected: 'map?',
  check: (value, path, where) =>
    isPlainObject(value) ? undefined : issue('map?', path, `${where} takes an attribute object.`),
};

const attrId: Slot = {
  name: 'attribute id',
  expected: 'instant.admin.model/coercible-uuid?',
  check: (value, path, where) =>
    isUuid(value) ? undefined : issue('instant.admin.model/coercible-uuid?', path, `${where} takes an attribute id.`),
};

/** What each action takes after its name, and whether more arguments are allowed (Instant's admin spec). */
const SHAPES: Readonly<Record<string, { readonly slots: readonly Slot[]; readonly rest?: true }>> = {
  create: { slots: [namespace, entity, object('attributes')] },
  update: { slots: [namespace, entity, object('attributes'), options] },
  merge: { slots: [namespace, entity, object('attributes'), options] },
  link: { slots: [namespace, entity, links] },
  unlink: { slots: [namespace, entity, links] },
  delete: { slots: [namespace, entity], rest: true },
  ruleParams: { slots: [namespace, entity, object('params')] },
  'add-attr': { slots: [attrObject] },
  'update-attr': { slots: [attrObject] },
  'delete-attr': { slots: [attrId] },
};

/**
 * The first problem with the shape of step `index`, as Instant's admin spec (`::op`) reports it: a
 * missing argument is reported at the step itself (`in: [index]`), a wrong one at its position.
 *
 * @example
 * stepIssue(['update', 'goals', id], 0) // { expected: 'map?', in: [0], message: … }
 */
export function stepIssue(step: unknown, index: number): StepIssue | undefined {
  if (!Array.isArray(step))
    return issue('sequential?', [index], `Step ${index} must be an array starting with an action name.`);
  const action = step[0];
  const shape = typeof action === 'string' && Object.hasOwn(SHAPES, action) ? SHAPES[action] : undefined;
  if (!shape) return issue('action?', [index, 0], `Unknown action ${JSON.stringify(action)} at step ${index}.`);
  const where = `Step ${index}: ${action}`;
  for (const [position, slot] of shape.slots.entries()) {
    if (position + 1 >= step.length) {
      if (slot.optional) break;
      return issue(slot.expected, [index], `${where} is missing its ${slot.name}.`);
    }
    const problem = slot.check(step[position + 1], [index, position + 1], where);
    if (problem) return problem;
  }
  if (!shape.rest && step.length > shape.slots.length + 1)
    return issue('nil?', [index, shape.slots.length + 1], `${where} takes ${shape.slots.length} arguments at most.`);
  return undefined;
}

/**
 * The first entity id that is clearly not one (not a UUID, lookup string, array or object), with
 * Instant's message; the admin route reports it before any other problem with the steps.
 *
 * @example
 * invalidEntityId([['update', 'goals', 'goal-1', {}]]) // { message: "Invalid entity ID 'goal-1'. …", in: [0, 2] }
 */
export function invalidEntityId(steps: readonly unknown[]): { message: string; in: number[] } | undefined {
  for (const [index, step] of steps.entries()) {
    if (!Array.isArray(step) || step.length < 3 || !ENTITY_ACTION_SET.has(step[0] as string)) continue;
    const eid: unknown = step[2];
    const ok =
      isUuid(eid) ||
      (typeof eid === 'string' && eid.startsWith(LOOKUP_STRING_PREFIX)) ||
      Array.isArray(eid) ||
      isPlainObject(eid);
    if (!ok)
      return {
        message: `Invalid entity ID '${String(eid)}'. Entity IDs must be UUIDs or lookup references.`,
        in: [index, 2],
      };
  }
  return undefined;
}
