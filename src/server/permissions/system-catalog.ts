import { ATTR_DEFAULTS, type Attr } from '../store/attr.ts';

/** A `$files` attribute as Instant's catalog defines it: an indexed string unless said otherwise. */
const fileAttr = (label: string, extra: Partial<Attr> = {}): Omit<Attr, 'id'> => ({
  ...ATTR_DEFAULTS,
  ns: '$files',
  label,
  indexed: true,
  checkedType: 'string',
  ...extra,
});

/**
 * The system attributes this server creates in every app (and adds to older databases at start), as
 * Instant's catalog defines them: `$users` (spec §8), which only the admin may change (besides `id`);
 * `$magicCodes` (a code's hash and the email it was sent to); `$files` (one row per uploaded file:
 * `path`, unique, the only column apps may change; the rest is set by uploads). Which labels Instant's
 * whole catalog reserves is `isSystemColumn` (transact/system-catalog.ts).
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
  { ...ATTR_DEFAULTS, ns: '$magicCodes', label: 'id', unique: true, indexed: true },
  { ...ATTR_DEFAULTS, ns: '$magicCodes', label: 'codeHash', indexed: true, checkedType: 'string' },
  { ...ATTR_DEFAULTS, ns: '$magicCodes', label: 'email', indexed: true, checkedType: 'string' },
  fileAttr('id', { unique: true, checkedType: null }),
  fileAttr('path', { unique: true, required: true }),
  fileAttr('size', { required: true, checkedType: 'number' }),
  fileAttr('content-type'),
  fileAttr('content-disposition'),
  fileAttr('location-id', { unique: true, required: true }),
  fileAttr('key-version', { indexed: false, checkedType: 'number' }),
  fileAttr('url', { indexed: false }),
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
