import type { AttrRegistry, LinkEnd } from '../store/attr-registry.ts';
import { ATTR_DEFAULTS, type Attr } from '../store/attr.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { checkNamesFree, checkReservedNamespaces, checkStorableNames } from './add-attr.ts';

/** Everything one transaction needs while it expands and applies steps. */
export interface TxContext {
  readonly registry: AttrRegistry;
  readonly store: TripleStore;
  /** Creation time of every triple this transaction writes. */
  readonly now: number;
  /** With Instant's `throw-on-missing-attrs?`: collect `ns.label` of attributes that would be created. */
  readonly throwOnMissing: boolean;
  readonly missing: Set<string>;
  /** Lookups resolved so far in this transaction, so one lookup always means one entity. */
  readonly lookups: Map<string, string>;
  /** Entities a lookup created during expansion: they did not exist before the transaction. */
  readonly created: Set<string>;
  /**
   * The `id` attributes this transaction soft-deleted, by namespace: Instant soft-deletes all of a
   * transaction's attributes at once, so each records the `id` attribute its namespace had before.
   */
  readonly deletedIdAttrs: Map<string, string>;
}

function newAttr(ctx: TxContext, fields: Partial<Attr> & Pick<Attr, 'ns' | 'label'>): Attr | undefined {
  if (ctx.throwOnMissing) {
    ctx.missing.add(`${fields.ns}.${fields.label}`);
    return undefined;
  }
  const attr: Attr = { ...ATTR_DEFAULTS, id: crypto.randomUUID(), ...fields };
  checkStorableNames(attr);
  checkReservedNamespaces(attr);
  checkNamesFree(ctx.registry, attr);
  ctx.registry.add(attr);
  return attr;
}

/**
 * The `id` attribute of a namespace, created (unique, one) on first write as Instant does.
 */
export function idAttr(ctx: TxContext, ns: string): Attr | undefined {
  return ctx.registry.forward(ns, 'id') ?? newAttr(ctx, { ns, label: 'id', unique: true });
}

/**
 * A data attribute `ns.label`, created (untyped, one) on first write unless the transaction forbids it.
 */
export function dataAttr(ctx: TxContext, ns: string, label: string): Attr | undefined {
  return ctx.registry.forward(ns, label) ?? newAttr(ctx, { ns, label });
}

/**
 * The attribute used by `lookup(label, …)` on `ns`, created unique and indexed if missing.
 */
export function lookupAttr(ctx: TxContext, ns: string, label: string): Attr | undefined {
  return ctx.registry.forward(ns, label) ?? newAttr(ctx, { ns, label, unique: true, indexed: true });
}

/**
 * The link `ns.label` a `<label>.id` lookup goes through, created as a has-one link (unique, indexed,
 * cardinality one, reverse `label.ns`) when neither side of it exists. Only a forward label can be
 * looked up; a reverse one answers undefined.
 */
export function refLookupAttr(ctx: TxContext, ns: string, label: string): Attr | undefined {
  const forward = ctx.registry.forward(ns, label);
  if (forward || ctx.registry.reverse(ns, label)) return forward;
  const fields = { revNs: label, revLabel: ns, valueType: 'ref', cardinality: 'one' } as const;
  return newAttr(ctx, { ns, label, ...fields, unique: true, indexed: true });
}

/**
 * A link label seen from `ns`: its forward or reverse attribute (a data attribute whose reverse
 * identity is `ns.label` counts too, as in Instant). A label with none is created as a many-to-many
 * link to a namespace named like the label (Instant's schemaless behaviour).
 */
export function linkEnd(ctx: TxContext, ns: string, label: string): LinkEnd | undefined {
  const existing = ctx.registry.link(ns, label);
  if (existing) return existing;
  const reverse = ctx.registry.reverse(ns, label);
  if (reverse) return { attr: reverse, forward: false, target: reverse.ns };
  if (ctx.registry.forward(ns, label)) return undefined;
  const attr = newAttr(ctx, { ns, label, revNs: label, revLabel: ns, valueType: 'ref', cardinality: 'many' });
  return attr && { attr, forward: true, target: label };
}
