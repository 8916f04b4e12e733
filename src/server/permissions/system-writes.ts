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
