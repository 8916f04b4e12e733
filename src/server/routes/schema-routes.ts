import { requireAdmin } from '../auth/authenticate.ts';
import { type Attr, GRACE_PERIOD_DAYS } from '../store/attr.ts';
import { isSystemColumn } from '../transact/system-catalog.ts';
import { type AttrRecord, attrRecord, softDeletedRecord } from './attr-record.ts';
import type { Handler } from './context.ts';

/** System namespaces whose attributes Instant's schema shows. */
const SHOWN_SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['$users', '$files', '$streams']);

/** Labels Instant's schema hides even there (internal to files and streams), by namespace (app namespaces such as `constructor` find nothing). */
const HIDDEN_LABELS: ReadonlyMap<string, readonly string[]> = new Map([
  ['$files', ['content-type', 'content-disposition', 'size', 'location-id', 'key-version']],
  ['$streams', ['machineId', 'hashedReconnectToken']],
]);

/** True when Instant's schema leaves the attribute out (Instant's `remove-hidden`). */
function hidden(attr: Attr): boolean {
  if (isSystemColumn(attr.ns, attr.label) && !SHOWN_SYSTEM_NAMESPACES.has(attr.ns)) return true;
  return HIDDEN_LABELS.get(attr.ns)?.includes(attr.label) ?? false;
}

/** The record the schema shows: `$files.url` is always present in results, so it is shown required. */
function shownRecord(attr: Attr): AttrRecord {
  const record = attrRecord(attr);
  return attr.ns === '$files' && attr.label === 'url' ? { ...record, 'required?': true } : record;
}

/**
 * The app's schema as Instant's admin API answers it: data attributes under `blobs.<ns>.<label>`,
 * links under `refs["<ns>-<label>-<reverse ns>-<reverse label>"]`, each as its full record.
 */
export function schemaOf(attrs: readonly Attr[]): {
  blobs: Record<string, Record<string, AttrRecord>>;
  refs: Record<string, AttrRecord>;
} {
  // A Map, so that a namespace named `__proto__` is a key like any other, not the object's prototype.
  const blobs = new Map<string, Record<string, AttrRecord>>();
  const refs: Record<string, AttrRecord> = {};
  const sorted = attrs.filter((attr) => !hidden(attr)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const attr of sorted) {
    const record = shownRecord(attr);
    if (attr.valueType === 'ref') refs[[attr.ns, attr.label, attr.revNs, attr.revLabel].join('-')] = record;
    else blobs.set(attr.ns, { ...blobs.get(attr.ns), [attr.label]: record });
  }
  return { blobs: Object.fromEntries(blobs), refs };
}

/** `GET /admin/schema` (admin) → `{schema: {blobs, refs}}`, the app's live attributes. */
export const schemaRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  return { schema: schemaOf(ctx.storage.registry.all()) };
};

/**
 * `GET /admin/soft_deleted_attrs` (admin) → `{attrs, "grace-period-days"}`: the soft-deleted attributes
 * by id, kept that many days after their deletion.
 */
export const softDeletedAttrsRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  return { attrs: ctx.storage.registry.softDeleted().map(softDeletedRecord), 'grace-period-days': GRACE_PERIOD_DAYS };
};
