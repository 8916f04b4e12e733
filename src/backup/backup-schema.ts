import type { AttrModel } from '../protocol/attr-model.ts';
import { isPlainObject } from '../protocol/json.ts';
import type { BackupAttrDef, BackupLinkDef, BackupSchema } from './backup-format.ts';

/** Instant's attribute record, as `GET /admin/schema` and `add-attr` spell it. */
interface AttrRecord {
  readonly 'value-type'?: unknown;
  readonly cardinality?: unknown;
  readonly 'forward-identity'?: unknown;
  readonly 'reverse-identity'?: unknown;
  readonly 'unique?'?: unknown;
  readonly 'index?'?: unknown;
  readonly 'required?'?: unknown;
  readonly 'checked-data-type'?: unknown;
  readonly 'on-delete'?: unknown;
  readonly 'on-delete-reverse'?: unknown;
}

/** Namespaces apps keep data in that a backup carries; Instant's other `$`-namespaces are its own. */
const SYSTEM_DATA = new Set(['$users', '$files']);

/**
 * The backup schema (Instant's `schema->defs`) from what a server's `GET /admin/schema` answers, read
 * defensively: attribute records under `blobs`/`refs` (Instant's `attrs->schema`, this server's), a
 * list of records, or a schema already in `{entities, links}` form.
 *
 * @example
 * backupSchemaOf({ blobs: { books: { title: { 'value-type': 'blob', 'forward-identity': ['i', 'books', 'title'] } } }, refs: {} })
 * // { entities: { books: { attrs: { title: { valueType: 'any', config: { unique: false, indexed: false } } } } }, links: {} }
 */
export function backupSchemaOf(answer: unknown): BackupSchema {
  if (isPlainObject(answer) && isPlainObject(answer.entities))
    return {
      entities: answer.entities as BackupSchema['entities'],
      links: (answer.links ?? {}) as BackupSchema['links'],
    };
  const records: AttrRecord[] = [];
  if (Array.isArray(answer)) records.push(...(answer.filter(isPlainObject) as AttrRecord[]));
  else if (isPlainObject(answer)) {
    if (Array.isArray(answer.attrs)) records.push(...(answer.attrs.filter(isPlainObject) as AttrRecord[]));
    for (const byLabel of Object.values(isPlainObject(answer.blobs) ? answer.blobs : {}))
      if (isPlainObject(byLabel)) records.push(...(Object.values(byLabel).filter(isPlainObject) as AttrRecord[]));
    if (isPlainObject(answer.refs)) records.push(...(Object.values(answer.refs).filter(isPlainObject) as AttrRecord[]));
  }
  return defsOf(records);
}

function identity(value: unknown): [string, string] | undefined {
  return Array.isArray(value) && typeof value[1] === 'string' && typeof value[2] === 'string'
    ? [value[1], value[2]]
    : undefined;
}

/** Instant's `schema->defs`: `id` attributes left out, untyped attributes `any`, links named `<ns><Label>`. */
function defsOf(records: readonly AttrRecord[]): BackupSchema {
  const entities = new Map<string, Record<string, BackupAttrDef>>();
  const links: Record<string, BackupLinkDef> = {};
  for (const record of records) {
    const forward = identity(record['forward-identity']);
    if (!forward) continue;
    const [ns, label] = forward;
    if (record['value-type'] === 'ref') {
      const reverse = identity(record['reverse-identity']);
      if (!reverse) continue;
      const name = `${ns}${label.charAt(0).toUpperCase()}${label.slice(1)}`;
      links[name] = {
        forward: {
          on: ns,
          label,
          has: record.cardinality === 'one' ? 'one' : 'many',
          ...(record['required?'] === true ? { required: true as const } : {}),
          ...(record['on-delete'] === 'cascade' ? { onDelete: 'cascade' as const } : {}),
        },
        reverse: {
          on: reverse[0],
          label: reverse[1],
          has: record['unique?'] === true ? 'one' : 'many',
          ...(record['on-delete-reverse'] === 'cascade' ? { onDelete: 'cascade' as const } : {}),
        },
      };
      continue;
    }
    const attrs = entities.get(ns) ?? {};
    entities.set(ns, attrs);
    if (label === 'id') continue;
    const checked = record['checked-data-type'];
    attrs[label] = {
      valueType: typeof checked === 'string' ? (checked as BackupAttrDef['valueType']) : 'any',
      config: { unique: record['unique?'] === true, indexed: record['index?'] === true },
      ...(record['required?'] === true ? { required: true as const } : {}),
    };
  }
  return {
    entities: Object.fromEntries([...entities].map(([ns, attrs]) => [ns, { attrs }])),
    links,
  };
}

/** A namespace a backup reads: its name and its forward links (what an entity line holds as ids). */
export interface NamespacePlan {
  readonly name: string;
  readonly links: readonly { readonly label: string; readonly has: 'one' | 'many' }[];
}

/**
 * The namespaces to back up from a schema: every app namespace and `$users`, `$files` (Instant's other
 * `$`-namespaces hold its own bookkeeping), each with its forward links, in name order (stable).
 */
export function namespacesToBackUp(schema: BackupSchema): NamespacePlan[] {
  const names = new Set(Object.keys(schema.entities));
  for (const link of Object.values(schema.links)) {
    names.add(link.forward.on);
    names.add(link.reverse.on);
  }
  return [...names]
    .filter((name) => !name.startsWith('$') || SYSTEM_DATA.has(name))
    .sort()
    .map((name) => ({
      name,
      links: Object.values(schema.links)
        .filter((link) => link.forward.on === name)
        .map((link) => ({ label: link.forward.label, has: link.forward.has })),
    }));
}

/** An attribute a backup's schema declares, in Instant's attr model (what `add-attr` takes), without ids. */
export type SchemaAttr = AttrModel;

/** Instant's checked data types; `any` and `json` are unchecked. */
const CHECKED_TYPES = new Set(['string', 'number', 'boolean', 'date']);

/**
 * The attributes a backup's schema declares, as Instant's `defs->schema` makes them: an `id` per
 * namespace (those with attributes and those a link names; unique, indexed), each data attribute with
 * its uniqueness, index, `required` and checked type (none for `json`/`any`), each link as an
 * unindexed `ref` on its forward side (cardinality from the forward `has`, unique when the reverse has
 * one, `required` and cascades as declared). The one list both restores create: `add-attr` steps
 * through the Admin API (`restoreApp`) and the local server's registry (`serve --restore`); each
 * skips what its target has.
 *
 * @example
 * schemaAttrs({ entities: { books: { attrs: {} } }, links: {} }).map((attr) => `${attr.ns}.${attr.label}`) // ['books.id']
 */
export function schemaAttrs(schema: BackupSchema): SchemaAttr[] {
  const base = { revNs: null, revLabel: null, valueType: 'blob', cardinality: 'one', onDelete: null } as const;
  const blob = { ...base, onDeleteReverse: null, required: false, checkedType: null };
  const namespaces = new Set(Object.keys(schema.entities));
  for (const { forward, reverse } of Object.values(schema.links)) namespaces.add(forward.on).add(reverse.on);
  const attrs: SchemaAttr[] = [...namespaces].map((ns) => ({ ...blob, ns, label: 'id', unique: true, indexed: true }));
  for (const [ns, { attrs: defs }] of Object.entries(schema.entities))
    for (const [label, def] of Object.entries(defs ?? {}) as [string, BackupAttrDef | undefined][])
      attrs.push({
        ...blob,
        ns,
        label,
        unique: def?.config?.unique === true,
        indexed: def?.config?.indexed === true,
        required: def?.required === true,
        checkedType: CHECKED_TYPES.has(String(def?.valueType)) ? String(def!.valueType) : null,
      });
  for (const { forward, reverse } of Object.values(schema.links))
    attrs.push({
      ns: forward.on,
      label: forward.label,
      revNs: reverse.on,
      revLabel: reverse.label,
      valueType: 'ref',
      cardinality: forward.has === 'one' ? 'one' : 'many',
      unique: reverse.has === 'one',
      indexed: false,
      required: forward.required === true,
      checkedType: null,
      onDelete: forward.onDelete ?? null,
      onDeleteReverse: reverse.onDelete ?? null,
    });
  return attrs;
}
