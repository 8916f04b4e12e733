import { isUuid } from '../../protocol/uuid.ts';
import { type ApiError, validationFailed } from '../api/api-error.ts';
import type { Attr } from '../store/attr.ts';
import { checkValueSize, checkValueType, invalidLinkValue } from './check-value.ts';
import { checkNoNulBytes } from './nul-bytes.ts';
import type { Ref } from './parse-steps.ts';
import { idAttr, lookupAttr, refLookupAttr, type TxContext } from './tx-context.ts';

type Lookup = Extract<Ref, { kind: 'lookup' }>;

/**
 * The entity id a reference points to in namespace `ns`. A lookup that finds nothing creates the
 * entity when `create` is set ("upsert by lookup"), else returns undefined; undefined too when the
 * lookup's attribute is missing and the request forbids creating it. The lookup attribute must be
 * unique; `<link>.id` looks up through the has-one link `<link>` (created if needed).
 */
export function resolveRef(ctx: TxContext, ns: string, ref: Ref, create: boolean): string | undefined {
  if (ref.kind === 'id') return ref.id;
  if (ref.attr === 'id') return resolveIdLookup(ns, ref.value);
  const key = `${ns}\u0000${ref.attr}\u0000${JSON.stringify(ref.value)}`;
  const known = ctx.lookups.get(key);
  if (known) return known;
  const attr = lookupAttrOf(ctx, ns, ref);
  if (!attr) return undefined;
  const value = lookupValue(attr, ref.value);
  // A null never equals anything in a unique index, so a lookup of null finds no entity.
  const found = value === null ? undefined : ctx.store.withValue(attr.id, value)[0]?.e;
  if (found) {
    ctx.lookups.set(key, found);
    return found;
  }
  if (!create) return undefined;
  const id = crypto.randomUUID();
  checkNewLookupValue(attr, value, id);
  const ids = idAttr(ctx, ns);
  if (ids) ctx.store.insert(id, ids.id, id, ctx.now);
  ctx.store.insert(id, attr.id, value, ctx.now);
  ctx.lookups.set(key, id);
  ctx.created.add(id);
  return id;
}

/**
 * Like {@link resolveRef} without creating anything: an unknown lookup attribute is an error, as in
 * Instant's `unlink` (which creates no attribute for its targets).
 */
export function findRef(ctx: TxContext, ns: string, ref: Ref): string | undefined {
  if (ref.kind === 'lookup' && ref.attr !== 'id' && !ctx.registry.forward(ns, lookupLabel(ctx, ns, ref)))
    throw notUnique(ns, ref);
  return resolveRef(ctx, ns, ref, false);
}

/**
 * The label of the attribute a lookup reads: its own, or `<link>` for a `<link>.id` lookup (a dotted
 * name that is not itself an attribute of `ns`).
 */
export function lookupLabel(ctx: TxContext, ns: string, ref: Lookup): string {
  if (!ref.attr.includes('.') || ctx.registry.forward(ns, ref.attr)) return ref.attr;
  const [link = '', idPart, ...more] = ref.attr.split('.');
  if (idPart !== 'id' || more.length > 0)
    throw validationFailed('lookup', [ref.attr, ref.value], [`${ref.attr} is not a valid lookup attribute.`]);
  return link;
}

/** The unique attribute a lookup reads (created when missing, unless the request forbids it). */
function lookupAttrOf(ctx: TxContext, ns: string, ref: Lookup): Attr | undefined {
  const label = lookupLabel(ctx, ns, ref);
  const attr = label === ref.attr ? lookupAttr(ctx, ns, label) : refLookupAttr(ctx, ns, label);
  if (!attr && !(ctx.throwOnMissing && !ctx.registry.reverse(ns, label))) throw notUnique(ns, ref);
  if (attr && !attr.unique) throw notUnique(ns, ref);
  return attr;
}

function notUnique(ns: string, ref: Lookup): ApiError {
  return validationFailed('lookup', [ref.attr, ref.value], [`${ref.attr} is not a unique attribute on ${ns}`]);
}

/** A link's value is the target's id, lower-cased like every id the server stores. */
function lookupValue(attr: Attr, value: unknown): unknown {
  return attr.valueType === 'ref' && isUuid(value) ? (value as string).toLowerCase() : value;
}

/** The checks the lookup's own triple must pass before an entity is created with it. */
function checkNewLookupValue(attr: Attr, value: unknown, e: string): void {
  checkNoNulBytes(value);
  if (attr.valueType === 'ref' && !isUuid(value)) throw invalidLinkValue(attr, value, e);
  checkValueSize(attr, value, e);
  if (attr.valueType === 'blob') checkValueType(attr, value, e);
}

function resolveIdLookup(ns: string, value: unknown): string {
  if (isUuid(value)) return (value as string).toLowerCase();
  throw validationFailed('tx-steps', value, [
    `Invalid lookup '${JSON.stringify(value)}'. The lookup attribute is '${ns}.id', but the lookup value is not a valid UUID.`,
  ]);
}
