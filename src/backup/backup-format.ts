/**
 * Instant's backup format (its `instant.backup` / `instant.restore`, and the zip its CLI and dashboard
 * download): a zip whose entries come in this order —
 *
 * - `config.json`: `{counts, tripleCount, schema, rules, webhooks, emailTemplates,
 *   authorizedRedirectOrigins, title, appId, backupAt, isn, description}`;
 * - `entities/<namespace>.jsonl`: one `{"entity": {...}, "createdAt": ms}` per line, the entity's
 *   attributes by label (its `id` included) and its forward links as `<label>: id` (a `has: 'one'`
 *   link) or `<label>: [ids]`; `createdAt` is when its `id` was written. `$users` and `$files` too;
 * - `files/<location-id>`: each `$files` row's bytes.
 */

/** A data attribute in the backup's schema (Instant's `schema->defs`): `any` when it has no checked type. */
export interface BackupAttrDef {
  readonly valueType: 'string' | 'number' | 'boolean' | 'date' | 'json' | 'any';
  readonly config: { readonly unique: boolean; readonly indexed: boolean };
  readonly required?: true;
}

/** One side of a link in the backup's schema. */
export interface BackupLinkSide {
  readonly on: string;
  readonly label: string;
  readonly has: 'one' | 'many';
  readonly required?: true;
  readonly onDelete?: 'cascade';
}

/** A link in the backup's schema, named `<forward ns><Forward label>` (`usersBookshelves`). */
export interface BackupLinkDef {
  readonly forward: BackupLinkSide;
  readonly reverse: BackupLinkSide;
}

/** The app's schema as a backup records it: namespaces' data attributes (`id` left out) and links. */
export interface BackupSchema {
  readonly entities: Readonly<Record<string, { readonly attrs: Readonly<Record<string, BackupAttrDef>> }>>;
  readonly links: Readonly<Record<string, BackupLinkDef>>;
}

/** `config.json`: what the backup holds (`counts` by namespace, `tripleCount`) and the app's setup. */
export interface BackupConfig {
  readonly counts: Readonly<Record<string, number>>;
  readonly tripleCount: number;
  readonly schema: BackupSchema;
  /** The permission rules (the `instant.perms.ts` object), or null when the app has none. */
  readonly rules: Readonly<Record<string, unknown>> | null;
  readonly webhooks?: readonly unknown[];
  readonly emailTemplates?: readonly unknown[];
  readonly authorizedRedirectOrigins?: readonly unknown[];
  readonly title?: string;
  readonly appId?: string;
  /** When the backup was taken (ISO 8601). */
  readonly backupAt?: string;
  readonly isn?: unknown;
  readonly description?: string;
}

/** One line of `entities/<ns>.jsonl`. */
export interface BackupEntity {
  /** The entity's attributes by label, its `id` included, and its forward links (`id` or `[ids]`). */
  readonly entity: Readonly<Record<string, unknown>> & { readonly id: string };
  /** When the entity's `id` was written (ms since the epoch). */
  readonly createdAt: number;
}

export const CONFIG_ENTRY = 'config.json';
export const ENTITIES_PREFIX = 'entities/';
export const ENTITIES_SUFFIX = '.jsonl';
export const FILES_PREFIX = 'files/';

/** `entities/<ns>.jsonl`. */
export const entitiesEntry = (namespace: string): string => `${ENTITIES_PREFIX}${namespace}${ENTITIES_SUFFIX}`;

/** `files/<location-id>`. */
export const fileEntry = (locationId: string): string => `${FILES_PREFIX}${locationId}`;

/**
 * Labels whose value in an entity line is an array of ids (forward links with `has: 'many'`), by
 * namespace: every other key is one triple, even a JSON array value.
 */
export function manyLabels(schema: BackupSchema): Map<string, Set<string>> {
  const many = new Map<string, Set<string>>();
  for (const link of Object.values(schema.links ?? {})) {
    if (link?.forward?.has !== 'many') continue;
    const set = many.get(link.forward.on) ?? new Set<string>();
    set.add(link.forward.label);
    many.set(link.forward.on, set);
  }
  return many;
}

/**
 * The columns Instant writes in its own namespaces' entity lines besides what the schema declares (the
 * catalog's `$users` and `$files` attributes, which an app's schema need not list).
 */
export const SYSTEM_LINE_LABELS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['$users', new Set(['id', 'email', 'imageURL', 'type', 'linkedPrimaryUser'])],
  [
    '$files',
    new Set(['id', 'path', 'size', 'content-type', 'content-disposition', 'location-id', 'key-version', 'url']),
  ],
]);

/**
 * The labels an entity line of each namespace may carry by the backup's schema: its attributes and its
 * forward links (`id` aside). Instant writes the schema from the same attributes as the lines.
 */
export function declaredLabels(schema: BackupSchema): Map<string, Set<string>> {
  const declared = new Map<string, Set<string>>();
  const add = (ns: string, label: string) => {
    const set = declared.get(ns) ?? new Set<string>();
    set.add(label);
    declared.set(ns, set);
  };
  for (const [ns, entity] of Object.entries(schema.entities ?? {}))
    for (const label of Object.keys(entity?.attrs ?? {})) add(ns, label);
  for (const link of Object.values(schema.links ?? {}))
    if (link?.forward?.on && link.forward.label) add(link.forward.on, link.forward.label);
  return declared;
}

/** How many triples an entity line stands for (Instant's `tripleCount`): one per key, one per id of a many-link. */
export function tripleCountOf(
  entity: Readonly<Record<string, unknown>>,
  many: ReadonlySet<string> | undefined,
): number {
  let count = 0;
  for (const [label, value] of Object.entries(entity))
    count += many?.has(label) && Array.isArray(value) ? value.length : 1;
  return count;
}
