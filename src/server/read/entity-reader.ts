import type { AttrRegistry, LinkEnd } from '../store/attr-registry.ts';
import type { Attr } from '../store/attr.ts';
import type { RequiredValue, Triple, TripleStore } from '../store/triple-store.ts';

/** A value an entity must hold: the attribute's label in its namespace and the value's stored JSON text. */
export interface LabelValue {
  readonly label: string;
  readonly json: string;
}

/**
 * Reads entities for one query, caching each entity's triples, and follows links in both directions.
 */
export class EntityReader {
  readonly registry: AttrRegistry;
  readonly #store: TripleStore;
  readonly #triples = new Map<string, Triple[]>();
  readonly #createdAt = new Map<string, number>();

  constructor(registry: AttrRegistry, store: TripleStore) {
    this.registry = registry;
    this.#store = store;
  }

  /** Every entity of a namespace with its creation time, oldest first (ties by id). */
  all(ns: string): { id: string; createdAt: number }[] {
    const idAttr = this.registry.forward(ns, 'id');
    if (!idAttr) return [];
    return this.#remember(ns, this.#store.ofAttr(idAttr.id)).sort(
      (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  }

  /**
   * One page of a namespace in creation order, read with SQL LIMIT/OFFSET; the triples of its rows are
   * read with it in one more statement, since whoever asks for a page reads its rows next. With
   * `required` (label and stored JSON text), only entities that have each of those values count.
   */
  page(ns: string, limit: number, offset: number, required: readonly LabelValue[] = []): string[] {
    const idAttr = this.registry.forward(ns, 'id');
    if (!idAttr) return [];
    const values = this.#requiredValues(ns, required);
    const ids = this.#remember(ns, this.#store.page(idAttr.id, limit, offset, values)).map((entry) => entry.id);
    this.#prefetch(ids);
    return ids;
  }

  /**
   * `required` as attribute ids. Only a single-valued attribute's stored value is matched in SQL (it is
   * what `data.label` holds); other labels (links, `id`, unknown names) are left to whoever asked.
   */
  #requiredValues(ns: string, required: readonly LabelValue[]): RequiredValue[] {
    const values: RequiredValue[] = [];
    for (const { label, json } of required) {
      const attr = this.registry.forward(ns, label);
      if (attr && attr.valueType === 'blob' && attr.cardinality === 'one' && label !== 'id')
        values.push({ a: attr.id, v: json });
    }
    return values;
  }

  /** Reads the triples of the entities not read yet, all in one statement. */
  #prefetch(ids: readonly string[]): void {
    const missing = ids.filter((id) => !this.#triples.has(id));
    if (missing.length === 0) return;
    for (const id of missing) this.#triples.set(id, []);
    for (const triple of this.#store.ofEntities(missing)) this.#triples.get(triple.e)!.push(triple);
  }

  #remember(ns: string, triples: Triple[]): { id: string; createdAt: number }[] {
    return triples.map((triple) => {
      this.#createdAt.set(`${ns}\u0000${triple.e}`, triple.createdAt);
      return { id: triple.e, createdAt: triple.createdAt };
    });
  }

  /** Entities of `ns` whose attribute `label` equals `value`, through the (attribute, value) index. */
  withValue(ns: string, label: string, value: unknown): string[] {
    if (label === 'id')
      return typeof value === 'string' && this.createdAt(value.toLowerCase(), ns) > 0 ? [value.toLowerCase()] : [];
    const attr = this.registry.forward(ns, label);
    return attr && attr.valueType === 'blob' ? this.#store.withValue(attr.id, value).map((triple) => triple.e) : [];
  }

  /** An entity's triples. */
  triples(e: string): Triple[] {
    let triples = this.#triples.get(e);
    if (!triples) {
      triples = this.#store.ofEntity(e);
      this.#triples.set(e, triples);
    }
    return triples;
  }

  /** When the entity's `id` triple in `ns` was written. */
  createdAt(e: string, ns: string): number {
    const known = this.#createdAt.get(`${ns}\u0000${e}`);
    if (known !== undefined) return known;
    const idAttr = this.registry.forward(ns, 'id');
    return this.triples(e).find((triple) => triple.a === idAttr?.id)?.createdAt ?? 0;
  }

  /** The values of one attribute of an entity. */
  values(e: string, attr: Attr): unknown[] {
    return this.triples(e)
      .filter((triple) => triple.a === attr.id)
      .map((triple) => triple.v);
  }

  /** Ids linked from `e` through `ns.label`. */
  linked(e: string, ns: string, label: string): string[] {
    const link = this.registry.link(ns, label);
    return link ? this.follow(e, link) : [];
  }

  /** Ids linked from `e` through a link already looked up. */
  follow(e: string, link: LinkEnd): string[] {
    if (link.forward) return this.values(e, link.attr).map(String);
    return this.#store.withValue(link.attr.id, e).map((triple) => triple.e);
  }

  /**
   * Follows a dotted path from an entity: every label but the last is a link; the last is an
   * attribute, a link (giving ids) or `id`. `broken` is set when some link on the way led nowhere.
   */
  reach(e: string, ns: string, path: readonly string[]): { values: unknown[]; broken: boolean } {
    let entities = [{ id: e, ns }];
    let broken = false;
    for (const label of path.slice(0, -1)) {
      const next = entities.flatMap(({ id, ns: from }) => {
        const link = this.registry.link(from, label);
        return link ? this.linked(id, from, label).map((child) => ({ id: child, ns: link.target })) : [];
      });
      if (next.length === 0) broken = true;
      entities = next;
    }
    const last = path[path.length - 1]!;
    const values = entities.flatMap(({ id, ns: from }) => {
      if (last === 'id') return [id];
      if (this.registry.link(from, last)) return this.linked(id, from, last);
      const attr = this.registry.forward(from, last);
      return attr ? this.values(id, attr) : [];
    });
    return { values, broken };
  }
}
