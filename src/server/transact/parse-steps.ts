import { isPlainObject } from '../../protocol/json.ts';
import { parseLookupString } from '../../protocol/lookup-string.ts';
import { isUuid } from '../../protocol/uuid.ts';
import { validationFailed } from '../http/api-error.ts';

/** An entity reference after parsing: an id, or a lookup on an attribute. */
export type Ref =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'lookup'; readonly attr: string; readonly value: unknown };

/** A validated step. Entity steps keep their namespace, reference and argument object. */
export type ParsedStep =
  | {
      readonly action: 'create' | 'update' | 'merge' | 'ruleParams';
      readonly ns: string;
      readonly ref: Ref;
      readonly args: Record<string, unknown>;
      readonly upsert: boolean | null;
    }
  | {
      readonly action: 'link' | 'unlink';
      readonly ns: string;
      readonly ref: Ref;
      readonly links: ReadonlyMap<string, readonly Ref[]>;
    }
  | { readonly action: 'delete'; readonly ns: string; readonly ref: Ref }
  | { readonly action: 'add-attr'; readonly attr: Record<string, unknown> }
  | { readonly action: 'delete-attr'; readonly id: string };

const ENTITY_ACTIONS = new Set(['create', 'update', 'merge', 'link', 'unlink', 'delete', 'ruleParams']);

/**
 * Checks the `steps` array the way Instant's spec does and parses each step. Any problem → 400
 * `validation-failed` naming the position (`in: [stepIndex, slot]`); nothing is written.
 */
export function parseSteps(steps: unknown): ParsedStep[] {
  if (!Array.isArray(steps))
    throw validationFailed('steps', steps, ['steps must be an array'], [{ expected: 'coll?', in: [] }]);
  return steps.map((step, index) => parseStep(step, index, steps));
}

function parseStep(step: unknown, index: number, all: unknown[]): ParsedStep {
  const fail = (slot: number, expected: string, message: string): never => {
    throw validationFailed('steps', all, [message], [{ expected, in: [index, slot] }]);
  };
  if (!Array.isArray(step) || typeof step[0] !== 'string')
    return fail(0, 'vector?', `Step ${index} must be an array starting with an action name.`);
  const action = step[0] as
    | 'create'
    | 'update'
    | 'merge'
    | 'ruleParams'
    | 'link'
    | 'unlink'
    | 'delete'
    | 'add-attr'
    | 'delete-attr';
  if (action === 'add-attr') {
    if (!isPlainObject(step[1])) return fail(1, 'map?', `Step ${index}: add-attr takes an attribute object.`);
    return { action, attr: step[1] };
  }
  if (action === 'delete-attr') {
    if (!isUuid(step[1])) return fail(1, 'uuid?', `Step ${index}: delete-attr takes an attribute id.`);
    return { action, id: (step[1] as string).toLowerCase() };
  }
  if ((action as string) === 'update-attr') throw validationFailed('action', all, ['Unsupported action update-attr']);
  if (!ENTITY_ACTIONS.has(action))
    return fail(0, 'action?', `Unknown action ${JSON.stringify(action)} at step ${index}.`);
  const ns = step[1];
  if (typeof ns !== 'string' || ns === '')
    return fail(1, 'string?', `Step ${index}: the namespace must be a non-empty string.`);
  const ref = parseRef(step[2]);
  if (!ref)
    return fail(
      2,
      'lookup?',
      `Invalid entity ID '${String(JSON.stringify(step[2]))}'. Entity IDs must be UUIDs or lookup references.`,
    );
  if (action === 'delete') return { action, ns, ref };
  const args = step[3];
  if (!isPlainObject(args))
    return fail(
      3,
      'map?',
      `Step ${index}: ${action} takes an object of ${action === 'link' || action === 'unlink' ? 'links' : 'attributes'}.`,
    );
  if (action === 'link' || action === 'unlink')
    return { action, ns, ref, links: parseLinks(args, (message) => fail(3, 'link-target?', message)) };
  if (action === 'create' && step.length > 4) return fail(4, 'nil?', `Step ${index}: create takes no options.`);
  const opts = step[4];
  if (opts !== undefined && opts !== null && !isPlainObject(opts))
    return fail(4, 'map?', `Step ${index}: options must be an object.`);
  const upsert = (opts as Record<string, unknown> | undefined)?.upsert;
  if (upsert !== undefined && upsert !== null && typeof upsert !== 'boolean')
    return fail(4, 'boolean?', `Step ${index}: upsert must be a boolean.`);
  const { id: _dropped, ...attrs } = args;
  return { action, ns, ref, args: attrs, upsert: (upsert as boolean | null | undefined) ?? null };
}

/**
 * Reads an entity reference in any of Instant's forms: UUID, `lookup__attr__<json>`, `[attr, value]`,
 * or `{attr: value}`. Returns undefined when it is none of them.
 *
 * @example
 * parseRef(['email', 'a@b.co']) // { kind: 'lookup', attr: 'email', value: 'a@b.co' }
 */
export function parseRef(value: unknown): Ref | undefined {
  if (typeof value === 'string') {
    if (isUuid(value)) return { kind: 'id', id: value.toLowerCase() };
    const parsed = parseLookupString(value);
    if (parsed) return { kind: 'lookup', attr: parsed[0], value: parsed[1] };
    if (value.startsWith('lookup__'))
      throw validationFailed('lookup', value, ['lookup value is invalid'], [{ hint: { value } }]);
    return undefined;
  }
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string')
    return { kind: 'lookup', attr: value[0], value: value[1] };
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    if (entries.length !== 1)
      throw validationFailed('lookup', value, ['lookup must be an object with a single unique attr and value.']);
    return { kind: 'lookup', attr: entries[0]![0], value: entries[0]![1] };
  }
  return undefined;
}

function parseLinks(args: Record<string, unknown>, fail: (message: string) => never): Map<string, Ref[]> {
  const links = new Map<string, Ref[]>();
  for (const [label, value] of Object.entries(args)) {
    if (label === 'id') continue;
    const targets: Ref[] = [];
    const add = (target: unknown): void => {
      if (isPlainObject(target) && Object.keys(target).length > 1) {
        for (const [attr, v] of Object.entries(target)) targets.push({ kind: 'lookup', attr, value: v });
        return;
      }
      const ref = parseRef(target);
      if (!ref) fail(`Linked value must be a valid uuid: ${JSON.stringify(target)}`);
      targets.push(ref!);
    };
    if (Array.isArray(value)) value.forEach(add);
    else add(value);
    links.set(label, targets);
  }
  return links;
}
