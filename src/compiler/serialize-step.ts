import type { EntityRef, Lookup } from '../builder/lookup.ts';
import {
  hasLookupTarget,
  type RecordedLinkTarget,
  type RecordedLinks,
  type RecordedStep,
} from '../builder/recorded-step.ts';
import type { JsonObject } from '../protocol/json.ts';
import { canWriteLookupString, formatLookupString } from '../protocol/lookup-string.ts';
import type { EntityStep, WireEntityId, WireLinkTarget, WireLinks } from '../protocol/steps.ts';
import { assertNever } from './assert-never.ts';

/**
 * Writes one recorded step in Instant's wire form, exactly as `@instantdb/admin` sends it: a lookup id
 * becomes `[attr, value]`, a lookup link target the string `lookup__attr__<json>`. A step with no
 * lookups is already in wire form and is returned as is (it is frozen, so sharing it is safe).
 *
 * @example
 * serializeStep(['update', 'users', { kind: 'lookup', attribute: 'email', value: 'a@b.co' }, { name: 'A' }])
 * // ['update', 'users', ['email', 'a@b.co'], { name: 'A' }]
 */
export function serializeStep(step: RecordedStep): EntityStep {
  const action = step[0];
  switch (action) {
    case 'create':
    case 'update':
    case 'merge':
    case 'ruleParams':
    case 'delete':
      if (typeof step[2] === 'string') return step as EntityStep;
      return Object.freeze([action, step[1], serializeEntityId(step[2]), ...step.slice(3)]) as unknown as EntityStep;
    case 'link':
    case 'unlink': {
      const links = step[3] as RecordedLinks;
      if (typeof step[2] === 'string' && !hasLookupTarget(links)) return step as EntityStep;
      return Object.freeze([action, step[1], serializeEntityId(step[2]), serializeLinks(links)] as const);
    }
    default:
      return assertNever(action);
  }
}

function serializeEntityId(ref: EntityRef): WireEntityId {
  return typeof ref === 'string' ? ref : Object.freeze([ref.attribute, ref.value] as const);
}

function serializeLinks(links: RecordedLinks): WireLinks {
  const out: Record<string, WireLinkTarget | readonly WireLinkTarget[]> = {};
  for (const label of Object.keys(links)) {
    const target = links[label]!;
    const wire = Array.isArray(target)
      ? Object.freeze((target as readonly RecordedLinkTarget[]).map(serializeLinkTarget))
      : serializeLinkTarget(target as RecordedLinkTarget);
    Object.defineProperty(out, label, { value: wire, enumerable: true, writable: true, configurable: true });
  }
  return Object.freeze(out);
}

/** Instant splits lookup strings on `__`; an attribute that would not survive that goes as the `{attr: value}` object form. */
function serializeLinkTarget(target: RecordedLinkTarget): WireLinkTarget {
  if (typeof target === 'string') return target;
  return canWriteLookupString(target.attribute)
    ? formatLookupString(target.attribute, target.value)
    : lookupObject(target);
}

function lookupObject(target: Lookup): JsonObject {
  const out = {};
  Object.defineProperty(out, target.attribute, {
    value: target.value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return Object.freeze(out);
}
