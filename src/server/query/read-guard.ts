import { entityData } from '../read/entity-data.ts';
import type { EntityReader, LabelValue } from '../read/entity-reader.ts';
import type { LinkEnd } from '../store/attr-registry.ts';

/**
 * What an impersonated caller may see, as plain callbacks built by the routes from the permission
 * rules (the query layer never reads rules): each namespace's `view` rule and its `fields` rules.
 */
export interface ReadPolicy {
  /** Whether the `view` rule of `ns` passes for this entity. */
  readonly canView: (ns: string, entity: Readonly<Record<string, unknown>>) => boolean;
  /**
   * Values (`label`, stored JSON text) every entity of `ns` that passes the `view` rule has: a page may
   * skip rows without them in the database before the rule is evaluated on the rest.
   */
  readonly requiredValues?: (ns: string) => readonly LabelValue[];
  /** Whether `ns` has a field rule for `label` (never for `id`); only such fields are ever checked. */
  readonly hasFieldRule: (ns: string, label: string) => boolean;
  /** Whether the field rule of `ns.label` passes for this entity. */
  readonly canViewField: (ns: string, label: string, entity: Readonly<Record<string, unknown>>) => boolean;
}

/**
 * A {@link ReadPolicy} applied to one query: every rule result (and the entity data it was evaluated
 * on) is cached per entity, since none changes while the query runs, so an entity reached many times
 * — by several rows, `where` paths and child nodes — is checked once per rule.
 *
 * A stored value is Instant's triple `[entity, attribute, value]`: it is visible when its owner (the
 * entity in the attribute's namespace) passes its `view` rule and the field rule of the attribute's
 * label, if any. A link is such a triple, owned by its forward side.
 */
export class ReadGuard {
  readonly #reader: EntityReader;
  readonly #policy: ReadPolicy;
  readonly #data = new Map<string, Readonly<Record<string, unknown>>>();
  readonly #views = new Map<string, boolean>();
  readonly #fields = new Map<string, boolean>();
  readonly #fieldRules = new Map<string, boolean>();

  constructor(reader: EntityReader, policy: ReadPolicy) {
    this.#reader = reader;
    this.#policy = policy;
  }

  /** The entity as rules see it (`data`), read once. */
  data(ns: string, id: string): Readonly<Record<string, unknown>> {
    return cached(this.#data, `${ns}\u0000${id}`, () => Object.freeze(entityData(this.#reader, ns, id)));
  }

  /** See {@link ReadPolicy.requiredValues}; none when the policy does not say. */
  requiredValues(ns: string): readonly LabelValue[] {
    return this.#policy.requiredValues?.(ns) ?? [];
  }

  /** Whether the `view` rule of `ns` passes for entity `id`. */
  canView(ns: string, id: string): boolean {
    return cached(this.#views, `${ns}\u0000${id}`, () => this.#policy.canView(ns, this.data(ns, id)));
  }

  /** Whether the field rule of `ns.label` passes for entity `id` (true when there is none). */
  canViewField(ns: string, id: string, label: string): boolean {
    const rule = `${ns}\u0000${label}`;
    if (!cached(this.#fieldRules, rule, () => this.#policy.hasFieldRule(ns, label))) return true;
    return cached(this.#fields, `${rule}\u0000${id}`, () => this.#policy.canViewField(ns, label, this.data(ns, id)));
  }

  /** Whether the value of `ns.label` on entity `id` is visible: its view rule, then its field rule. */
  canSeeValue(ns: string, id: string, label: string): boolean {
    return this.canView(ns, id) && this.canViewField(ns, id, label);
  }

  /** Whether the link triple between `from` and `to` (`link` read from `from`'s side) is visible. */
  canSeeLink(from: string, link: LinkEnd, to: string): boolean {
    return this.canSeeValue(link.attr.ns, link.forward ? from : to, link.attr.label);
  }

  /**
   * Whether following `link` from `from` reaches `to`: `to` passes its `view` rule and the link triple
   * is visible. This is how a `where` path and a child node step through a link.
   */
  canFollow(from: string, link: LinkEnd, to: string): boolean {
    return this.canView(link.target, to) && this.canSeeLink(from, link, to);
  }

  /** `row` (an entity of `ns`) without the fields whose rule fails; `id` always stays. */
  hideFields(ns: string, id: string, row: Record<string, unknown>): Record<string, unknown> {
    for (const label of Object.keys(row)) if (label !== 'id' && !this.canViewField(ns, id, label)) delete row[label];
    return row;
  }
}

/** The value cached under `key`, computed on first use. */
function cached<V>(map: Map<string, V>, key: string, compute: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = compute();
    map.set(key, value);
  }
  return value;
}
