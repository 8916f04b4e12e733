import { isUuid } from '../../protocol/uuid.ts';
import { validationFailed } from '../http/api-error.ts';
import type { Ref } from './parse-steps.ts';
import { idAttr, lookupAttr, type TxContext } from './tx-context.ts';

/**
 * The entity id a reference points to in namespace `ns`. A lookup that finds nothing creates the
 * entity when `create` is set ("upsert by lookup"), else returns undefined. The lookup attribute must
 * be unique.
 */
export function resolveRef(ctx: TxContext, ns: string, ref: Ref, create: boolean): string | undefined {
  if (ref.kind === 'id') return ref.id;
  if (ref.attr === 'id') return resolveIdLookup(ns, ref.value);
  const key = `${ns}\u0000${ref.attr}\u0000${JSON.stringify(ref.value)}`;
  const known = ctx.lookups.get(key);
  if (known) return known;
  const attr = lookupAttr(ctx, ns, ref.attr);
  if (!attr) return undefined;
  if (!attr.unique) throw validationFailed('lookup', ref, [`${ref.attr} is not a unique attribute on ${ns}`]);
  const found = ctx.store.withValue(attr.id, ref.value)[0]?.e;
  if (found) {
    ctx.lookups.set(key, found);
    return found;
  }
  if (!create) return undefined;
  const id = crypto.randomUUID();
  const ids = idAttr(ctx, ns);
  if (ids) ctx.store.insert(id, ids.id, id, ctx.now);
  ctx.store.insert(id, attr.id, ref.value, ctx.now);
  ctx.lookups.set(key, id);
  ctx.created.add(id);
  return id;
}

function resolveIdLookup(ns: string, value: unknown): string {
  if (isUuid(value)) return (value as string).toLowerCase();
  throw validationFailed('tx-steps', value, [
    `Invalid lookup '${JSON.stringify(value)}'. The lookup attribute is '${ns}.id', but the lookup value is not a valid UUID.`,
  ]);
}
