import { ATTR_DEFAULTS, type Attr } from '../store/attr.ts';

/**
 * The system attributes this server creates in every app: Instant's `$users` attributes (spec §8),
 * which only the admin may change (besides `id`). Which labels Instant's whole catalog reserves is
 * `isSystemColumn` (transact/system-catalog.ts).
 */
export const SYSTEM_ATTRS: readonly Omit<Attr, 'id'>[] = Object.freeze([
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
]);

/** System attributes anyone may write: the `id`s (every write sends one) and a file's `path`. */
const EDITABLE_IDENTS = new Set(['$users.id', '$files.id', '$files.path', '$streams.id']);

/**
 * True when a write to the system attribute `ns.label` is allowed: always for the editable ones, never
 * for `$files` / `$streams` (only Instant sets them), otherwise for the admin only.
 *
 * @example
 * systemAttrWritable('$users', 'email', false) // false
 */
export function systemAttrWritable(ns: string, label: string, admin: boolean): boolean {
  if (EDITABLE_IDENTS.has(`${ns}.${label}`)) return true;
  return ns === '$files' || ns === '$streams' ? false : admin;
}
