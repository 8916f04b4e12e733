import { ApiError } from '../api/api-error.ts';
import type { AttrRegistry } from '../store/attr-registry.ts';
import type { Attr } from '../store/attr.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { requiredSystemLabels } from './system-catalog.ts';

/** An attribute an entity of its namespace must have; `attr` is undefined when it was never created. */
interface RequiredAttr {
  readonly label: string;
  readonly attr: Attr | undefined;
  readonly required: boolean;
}

/** One missing value, in the shape of Instant's hint records. */
interface MissingRecord {
  readonly entity_id: string;
  readonly attr_id: string | null;
  readonly etype: string;
  readonly label: string;
  readonly is_required: boolean;
}

/**
 * Checks, after a transaction's writes and before commit, that every entity the transaction touched
 * and that still exists in a namespace with required attributes has a non-null value for each of them
 * and for its `id` (Instant's `validate-required!`). Entities are the ones whose triples the store saw
 * written or removed, so a delete that removes a required link is caught on the entity that linked.
 */
export function checkRequiredAttrs(registry: AttrRegistry, store: TripleStore): void {
  const touched = store.takeTouched();
  const cache = new Map<string, readonly RequiredAttr[]>();
  const missing: MissingRecord[] = [];
  for (const [e, attrIds] of touched) {
    const namespaces = new Set<string>();
    for (const id of attrIds) {
      const ns = registry.byId(id)?.ns;
      if (ns !== undefined) namespaces.add(ns);
    }
    for (const ns of namespaces) {
      if (!cache.has(ns)) cache.set(ns, requiredAttrs(registry, ns));
      const required = cache.get(ns)!;
      if (required.length > 0) missing.push(...missingOf(registry, store, e, ns, required));
    }
  }
  if (missing.length > 0) throw missingError(missing);
}

/** The attributes entities of `ns` must have, with `id`; [] when none is required. */
function requiredAttrs(registry: AttrRegistry, ns: string): readonly RequiredAttr[] {
  const attrs = registry.all().filter((attr) => attr.ns === ns);
  const systemLabels = requiredSystemLabels(ns);
  if (!attrs.some((attr) => attr.required) && systemLabels.length === 0) return [];
  const required: RequiredAttr[] = attrs
    .filter((attr) => attr.required || attr.label === 'id' || systemLabels.includes(attr.label))
    .map((attr) => ({ label: attr.label, attr, required: attr.required || systemLabels.includes(attr.label) }));
  for (const label of systemLabels)
    if (!required.some((entry) => entry.label === label)) required.push({ label, attr: undefined, required: true });
  return required;
}

/** The required values `e` lacks in `ns`, or [] when it has them or no longer exists there. */
function missingOf(
  registry: AttrRegistry,
  store: TripleStore,
  e: string,
  ns: string,
  required: readonly RequiredAttr[],
): MissingRecord[] {
  const present = new Set<string>();
  for (const triple of store.ofEntity(e))
    if (triple.v !== null && registry.byId(triple.a)?.ns === ns) present.add(triple.a);
  if (present.size === 0) return [];
  return required
    .filter((entry) => !entry.attr || !present.has(entry.attr.id))
    .map((entry) => ({
      entity_id: e,
      attr_id: entry.attr?.id ?? null,
      etype: ns,
      label: entry.label,
      is_required: entry.required,
    }));
}

/** Instant's error: one sentence per missing `ns/label`, naming the entities. */
function missingError(records: readonly MissingRecord[]): ApiError {
  const groups = new Map<string, MissingRecord[]>();
  for (const record of records) {
    const key = `${record.etype}/${record.label}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const sentences = [...groups].map(([name, group]) =>
    group.length === 1
      ? `Missing required attribute \`${name}\`: ${group[0]!.entity_id}`
      : `Missing required attributes \`${name}\`: ${group.map((record) => record.entity_id).join(', ')}`,
  );
  return new ApiError(400, 'validation-failed', sentences.join('. '), { records });
}
