import type { Attr } from '../store/attr.ts';
import { validationFailed } from '../http/api-error.ts';

/**
 * Reads an `add-attr` payload (Instant's wire attribute, spec §9.2) into an {@link Attr}.
 */
export function parseAttr(wire: Record<string, unknown>): Attr {
  const forward = wire['forward-identity'];
  const reverse = wire['reverse-identity'];
  const valueType = wire['value-type'];
  const ok =
    typeof wire.id === 'string' &&
    Array.isArray(forward) &&
    typeof forward[1] === 'string' &&
    typeof forward[2] === 'string' &&
    (valueType === 'blob' || valueType === 'ref') &&
    (wire.cardinality === 'one' || wire.cardinality === 'many') &&
    (valueType === 'blob' ||
      (Array.isArray(reverse) && typeof reverse[1] === 'string' && typeof reverse[2] === 'string'));
  if (!ok)
    throw validationFailed('attr', wire, [
      'add-attr needs id, forward-identity [id, ns, label], value-type, cardinality (and reverse-identity for refs)',
    ]);
  return {
    id: (wire.id as string).toLowerCase(),
    ns: forward[1] as string,
    label: forward[2] as string,
    // Instant gives some blob attributes (ids) a reverse identity too; only links have a reverse side.
    revNs: valueType === 'ref' ? ((reverse as unknown[])[1] as string) : null,
    revLabel: valueType === 'ref' ? ((reverse as unknown[])[2] as string) : null,
    valueType,
    cardinality: wire.cardinality as 'one' | 'many',
    unique: wire['unique?'] === true,
    indexed: wire['index?'] === true,
    required: wire['required?'] === true,
    checkedType: typeof wire['checked-data-type'] === 'string' ? (wire['checked-data-type'] as string) : null,
    onDelete: typeof wire['on-delete'] === 'string' ? (wire['on-delete'] as string) : null,
    onDeleteReverse: typeof wire['on-delete-reverse'] === 'string' ? (wire['on-delete-reverse'] as string) : null,
  };
}
