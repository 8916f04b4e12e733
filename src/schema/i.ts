import { DataAttrDef } from './data-attr-def.ts';
import { EntityDef, type AttrsDefs, type EntityLinks } from './entity-def.ts';
import type { LinkAttrDef, LinksDef } from './link-def.ts';
import { InstantSchemaDef, type EntitiesDef } from './schema-def.ts';
import type { ValueTypeName } from './value-types.ts';

const NOT_INDEXED = Object.freeze({ indexed: false, unique: false });

function attr<V>(valueType: ValueTypeName): DataAttrDef<V, true, false, false> {
  return new DataAttrDef<V, true, false, false>(valueType, true, false, NOT_INDEXED);
}

/**
 * Describes the entities and links of an Instant app. Same shape as `@instantdb/admin`'s `i.schema`.
 *
 * @example
 * const schema = i.schema({
 *   entities: { goals: i.entity({ title: i.string() }), todos: i.entity({ done: i.boolean() }) },
 *   links: { goalTodos: { forward: { on: 'goals', has: 'many', label: 'todos' }, reverse: { on: 'todos', has: 'one', label: 'goal' } } },
 * });
 */
function schema<const E extends EntitiesDef, const L extends LinksDef = {}>(definition: {
  entities: E;
  links?: L;
  rooms?: unknown;
}): InstantSchemaDef<E, L> {
  const links = (definition.links ?? {}) as L;
  return new InstantSchemaDef(attachLinks(definition.entities, links), links);
}

/** At run time each entity also carries its links, as `@instantdb/admin`'s schema objects do. */
function attachLinks<E extends EntitiesDef>(entities: E, links: LinksDef): E {
  const byNamespace = new Map<string, Record<string, LinkAttrDef>>();
  const add = (ns: string, label: string, link: LinkAttrDef): void => {
    const current = byNamespace.get(ns) ?? {};
    current[label] = Object.freeze(link);
    byNamespace.set(ns, current);
  };
  for (const { forward, reverse } of Object.values(links)) {
    add(forward.on, forward.label, { cardinality: forward.has, entityName: reverse.on });
    add(reverse.on, reverse.label, { cardinality: reverse.has, entityName: forward.on });
  }
  const result: Record<string, EntityDef<AttrsDefs, EntityLinks>> = {};
  for (const [name, def] of Object.entries(entities)) {
    result[name] = new EntityDef(def.attrs, byNamespace.get(name) ?? {});
  }
  return result as unknown as E;
}

/**
 * Describes one namespace's attributes.
 *
 * @example
 * i.entity({ title: i.string(), priority: i.number().optional() })
 */
function entity<const A extends AttrsDefs>(attrs: A): EntityDef<A, {}> {
  return new EntityDef(attrs, {});
}

/**
 * The schema builder: `i.schema`, `i.entity` and the attribute types. Drop-in for `@instantdb/admin`'s `i`.
 *
 * @example
 * const goals = i.entity({ title: i.string(), due: i.date().optional(), meta: i.json<{ tags: string[] }>() });
 */
export const i = Object.freeze({
  schema,
  entity,
  /** @example i.string<'todo' | 'done'>() */
  string: <T extends string = string>() => attr<T>('string'),
  /** @example i.number().indexed() */
  number: <T extends number = number>() => attr<T>('number'),
  /** @example i.boolean().optional() */
  boolean: () => attr<boolean>('boolean'),
  /** @example i.date() // accepts Date, ISO string or epoch ms */
  date: () => attr<Date | string | number>('date'),
  /** @example i.json<{ tags: string[] }>() */
  json: <T = unknown>() => attr<T>('json'),
  /** @example i.any() */
  any: () => attr<unknown>('json'),
});
