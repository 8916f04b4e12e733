import { SYSTEM_ATTRS } from '../transact/system-catalog.ts';
import type { AttrRegistry } from '../store/attr-registry.ts';

/**
 * Creates the system catalog's attributes (`$users`, `$magicCodes`, `$files`) if the database does not have them yet.
 */
export function ensureSystemAttrs(registry: AttrRegistry): void {
  for (const attr of SYSTEM_ATTRS) {
    if (!registry.forward(attr.ns, attr.label)) registry.add({ ...attr, id: crypto.randomUUID() });
  }
}
