import type { AttrRegistry } from '../store/attr-registry.ts';
import { ATTR_DEFAULTS, type Attr } from '../store/attr.ts';

/** Instant's `$users` system attributes (spec §8), created on first start. */
const USER_ATTRS: readonly Omit<Attr, 'id'>[] = [
  { ...ATTR_DEFAULTS, ns: '$users', label: 'id', unique: true, indexed: true },
  { ...ATTR_DEFAULTS, ns: '$users', label: 'email', unique: true, indexed: true, checkedType: 'string' },
  { ...ATTR_DEFAULTS, ns: '$users', label: 'imageURL', checkedType: 'string' },
  { ...ATTR_DEFAULTS, ns: '$users', label: 'type', checkedType: 'string' },
  {
    ...ATTR_DEFAULTS,
    ns: '$users',
    label: 'linkedPrimaryUser',
    valueType: 'ref',
    revNs: '$users',
    revLabel: 'linkedGuestUsers',
    onDelete: 'cascade',
  },
];

/**
 * Creates the `$users` attributes if the database does not have them yet.
 */
export function ensureSystemAttrs(registry: AttrRegistry): void {
  for (const attr of USER_ATTRS) {
    if (!registry.forward(attr.ns, attr.label)) registry.add({ ...attr, id: crypto.randomUUID() });
  }
}
