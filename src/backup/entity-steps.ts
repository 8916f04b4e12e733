import { setField } from '../protocol/json.ts';
import { type BackupEntity, SYSTEM_LINE_LABELS } from './backup-format.ts';
import type { BackupArchive } from './read-backup.ts';

/** Ids per `link` step: a link to thousands of entities is written in several steps. */
const LINK_IDS_PER_STEP = 200;

/**
 * `$files` columns: the upload sets them (or the server derives them), so they are not written as data.
 * They are the catalog's columns of `$files` lines.
 */
const FILE_COLUMNS = SYSTEM_LINE_LABELS.get('$files')!;

/** Which labels of which namespace are forward links (`ns\u0000label`), read from the backup's schema. */
export type LinkLabels = ReadonlySet<string>;

/**
 * The `update` a restore writes for one entity line (its attributes, same id; a file's id mapped to
 * the id its upload got), or undefined for a `$files` row with nothing but the columns the upload sets.
 *
 * @example
 * updateStepOf('goals', { id: goalId, title: 'x', todos: [todoId] }, new Map(), new Set(['goals\u0000todos']))
 * // ['update', 'goals', goalId, { title: 'x' }]
 */
export function updateStepOf(
  ns: string,
  entity: BackupEntity['entity'],
  fileIds: ReadonlyMap<string, string>,
  linkLabels: LinkLabels,
): unknown[] | undefined {
  const attrs: Record<string, unknown> = {};
  // setField: a label such as `__proto__` is an attribute like any other, never the prototype.
  for (const [label, value] of Object.entries(entity))
    if (label !== 'id' && !linkLabels.has(`${ns}\u0000${label}`) && !(ns === '$files' && FILE_COLUMNS.has(label)))
      setField(attrs, label, value);
  if (ns === '$files' && Object.keys(attrs).length === 0) return undefined;
  return ['update', ns, fileIds.get(entity.id) ?? entity.id, attrs];
}

/**
 * The `link` steps a restore writes for one entity line's forward links: one per label, or one per
 * {@link LINK_IDS_PER_STEP} ids of a many-link (ids of files mapped to their new ids).
 *
 * @example
 * linkStepsOf('goals', { id: goalId, todos: [todoId] }, new Map(), new Set(['goals\u0000todos']))
 * // [['link', 'goals', goalId, { todos: [todoId] }]]
 */
export function linkStepsOf(
  ns: string,
  entity: BackupEntity['entity'],
  fileIds: ReadonlyMap<string, string>,
  linkLabels: LinkLabels,
): unknown[][] {
  const steps: unknown[][] = [];
  const source = fileIds.get(entity.id) ?? entity.id;
  for (const [label, value] of Object.entries(entity)) {
    if (!linkLabels.has(`${ns}\u0000${label}`)) continue;
    if (!Array.isArray(value)) {
      if (typeof value === 'string') steps.push(['link', ns, source, { [label]: fileIds.get(value) ?? value }]);
      continue;
    }
    for (let at = 0; at < value.length; at += LINK_IDS_PER_STEP) {
      const ids = value.slice(at, at + LINK_IDS_PER_STEP).map((id) => fileIds.get(String(id)) ?? id);
      steps.push(['link', ns, source, { [label]: ids }]);
    }
  }
  return steps;
}

/**
 * Every entity as an `update`, then every forward link as `link` steps, in the zip's order: the same
 * steps on every run, as checkpoints need. Links go after every entity exists; only namespaces with
 * forward links are read again for them.
 */
export async function* entitySteps(
  backup: BackupArchive,
  fileIds: ReadonlyMap<string, string>,
  linkLabels: LinkLabels,
): AsyncGenerator<unknown[]> {
  for (const ns of backup.namespaces)
    for await (const { entity } of backup.entities(ns)) {
      const step = updateStepOf(ns, entity, fileIds, linkLabels);
      if (step) yield step;
    }
  const linking = new Set([...linkLabels].map((key) => key.split('\u0000')[0]));
  for (const ns of backup.namespaces.filter((name) => linking.has(name)))
    for await (const { entity } of backup.entities(ns)) yield* linkStepsOf(ns, entity, fileIds, linkLabels);
}
