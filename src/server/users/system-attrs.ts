import type { AttrRegistry } from '../store/attr-registry.ts';
import type { Attr } from '../store/attr.ts';

const BASE = { revNs: null, revLabel: null, valueType: 'blob', cardinality: 'one', unique: false, indexed: false, required: false, checkedType: null, onDelete: null, onDeleteReverse: null } as const;

/** Instant's `$users` system attributes (spec §8), created on first start. */
const USER_ATTRS: readonly Omit<Attr, 'id'>[] = [
  { ...BASE, ns: '$users', label: 'id', unique: true, indexed: true },
  { ...BASE, ns: '$users', label: 'email', unique: true, indexed: true, checkedType: 'string' },
  { ...BASE, ns: '$users', label: 'imageURL', checkedType: 'string' },
  { ...BASE, ns: '$users', label: 'type', checkedType: 'string' },
  { ...BASE, ns: '$users', label: 'linkedPrimaryUser', valueType: 'ref', revNs: '$users', revLabel: 'linkedGuestUsers', onDelete: 'cascade' },
];

/**
 * Creates the `$users` attributes if the database does not have them yet.
 *
 * @example
 * ensureSystemAttrs(registry)
 */
export function ensureSystemAttrs(registry: AttrRegistry): void {
  for (const attr of USER_ATTRS) {
    if (!registry.forward(attr.ns, attr.label)) registry.add({ ...attr, id: crypto.randomUUID() });
  }
}
