import { isPlainObject } from '../../protocol/json.ts';
import { LOOKUP_STRING_PREFIX, parseLookupString } from '../../protocol/lookup-string.ts';
import { isUuid } from '../../protocol/uuid.ts';
import { type ApiError, paramMalformed, validationFailed } from '../api/api-error.ts';
import type { Attr } from '../store/attr.ts';
import { parseAttr } from './parse-attr.ts';
import { specFailed } from './spec-failed.ts';
import { invalidEntityId, stepIssue } from './step-shape.ts';

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
  | { readonly action: 'add-attr'; readonly attr: Attr }
  | { readonly action: 'delete-attr'; readonly id: string };

/**
 * Checks the `steps` array the way Instant's admin route does and parses each step; nothing is written
 * when anything is wrong. Not an array → 400 `param-malformed`. An entity id that is clearly not one →
 * `Invalid entity ID '…'` naming its position; any other shape problem → the bare
 * `Validation failed for steps` with `errors: [{expected, in}]`; a bad attribute → the same for
 * `tx-steps`.
 *
 * @example
 * parseSteps([['update', 'goals', id, { title: 'x' }]])
 */
export function parseSteps(steps: unknown): ParsedStep[] {
  if (!Array.isArray(steps)) throw paramMalformed(['body', 'steps'], steps);
  const eid = invalidEntityId(steps);
  if (eid) throw validationFailed('steps', steps, [eid.message], [{ in: eid.in }]);
  for (const [index, step] of steps.entries()) {
    const issue = stepIssue(step, index);
    if (issue) throw specFailed('steps', steps, issue);
  }
  return steps.map((step, index) => parseStep(step as unknown[], index, steps));
}

/**
 * A sentence describing the first problem `parseSteps` would reject `steps` for, or undefined when
 * their shape is fine (for tools that show people what is wrong, like the CLI).
 *
 * @example
 * describeStepsProblem([['link', 'notes', id, { tags: 'tag-1' }]]) // 'Linked value must be a valid uuid: "tag-1"'
 */
export function describeStepsProblem(steps: readonly unknown[]): string | undefined {
  const eid = invalidEntityId(steps);
  if (eid) return eid.message;
  for (const [index, step] of steps.entries()) {
    const issue = stepIssue(step, index);
    if (issue) return issue.message;
  }
  return undefined;
}

function parseStep(step: unknown[], index: number, all: unknown[]): ParsedStep {
  const action = step[0] as EntityAction | 'add-attr' | 'update-attr' | 'delete-attr';
  if (action === 'add-attr') return { action, attr: parseAttr(step[1], index, all) };
  if (action === 'delete-attr') return { action, id: (step[1] as string).toLowerCase() };
  if (action === 'update-attr')
    throw validationFailed('action', action, [`Unsupported action ${action}`], [{ hint: { value: action } }]);
  const ns = step[1] as string;
  const ref = parseRef(step[2])!;
  if (action === 'delete') return { action, ns, ref };
  const args = step[3] as Record<string, unknown>;
  if (action === 'link' || action === 'unlink') return { action, ns, ref, links: parseLinks(args) };
  const upsert = (step[4] as Record<string, unknown> | null | undefined)?.upsert as boolean | null | undefined;
  const { id: _dropped, ...attrs } = args;
  return { action, ns, ref, args: attrs, upsert: upsert ?? null };
}

type EntityAction = 'create' | 'update' | 'merge' | 'ruleParams' | 'link' | 'unlink' | 'delete';

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
    if (value.startsWith(LOOKUP_STRING_PREFIX)) throw invalidLookupString(value);
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

function parseLinks(args: Record<string, unknown>): Map<string, Ref[]> {
  const links = new Map<string, Ref[]>();
  for (const [label, value] of Object.entries(args)) {
    if (label === 'id') continue;
    const targets: Ref[] = [];
    for (const target of Array.isArray(value) ? value : [value]) {
      if (isPlainObject(target) && Object.keys(target).length > 1) {
        for (const [attr, v] of Object.entries(target)) targets.push({ kind: 'lookup', attr, value: v });
      } else targets.push(parseRef(target)!);
    }
    links.set(label, targets);
  }
  return links;
}

/** Instant's error for a `lookup__<attr>__<value>` string whose value is not JSON. */
function invalidLookupString(text: string): ApiError {
  const [, attribute = '', ...rest] = text.split('__');
  return validationFailed(
    'lookup',
    text,
    ['lookup value is invalid'],
    [{ hint: { attribute, value: rest.join('__') } }],
  );
}
