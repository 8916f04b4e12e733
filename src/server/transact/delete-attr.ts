import { isSystemColumn } from './system-catalog.ts';
import type { TxContext } from './tx-context.ts';

/**
 * Runs a `delete-attr` step as Instant does: the attribute is soft-deleted (see
 * `AttrRegistry.softDelete`), recording its namespace's `id` attribute as it was before the
 * transaction's deletes. System attributes (Instant keeps them in its catalog app, out of the app's
 * reach) and unknown ids are left alone.
 */
export function deleteAttr(ctx: TxContext, id: string): void {
  const attr = ctx.registry.byId(id);
  if (!attr || isSystemColumn(attr.ns, attr.label)) return;
  const idAttrId = ctx.registry.forward(attr.ns, 'id')?.id ?? ctx.deletedIdAttrs.get(attr.ns) ?? null;
  if (attr.label === 'id') ctx.deletedIdAttrs.set(attr.ns, attr.id);
  ctx.registry.softDelete(attr.id, idAttrId, ctx.now);
}
