import { isPlainObject } from '../../protocol/json.ts';
import { indexSchema } from '../../schema/schema-index.ts';
import { ATTR_DEFAULTS, type Attr } from './attr.ts';

/**
 * The attributes a schema (ours or `@instantdb/admin`'s) declares, in the server's model (spec §9.2):
 * typed attributes get a checked data type; a link's reverse `has: 'one'` makes it unique.
 *
 * @example
 * attrsFromSchema(schema).map((attr) => `${attr.ns}.${attr.label}`)
 * // ['goals.id', 'goals.title', …, '$users.id', '$users.email', …, 'goals.todos']
 */
export function attrsFromSchema(schema: unknown): Omit<Attr, 'id'>[] {
  const index = indexSchema(schema);
  const attrs: Omit<Attr, 'id'>[] = [];
  for (const ns of index.namespaces.values()) {
    attrs.push({ ...ATTR_DEFAULTS, ns: ns.name, label: 'id', unique: true, indexed: true });
    for (const attr of ns.attrs.values()) {
      attrs.push({
        ...ATTR_DEFAULTS,
        ns: ns.name,
        label: attr.name,
        unique: attr.unique,
        indexed: attr.indexed,
        required: attr.required,
        checkedType: attr.valueType === 'json' ? null : attr.valueType,
      });
    }
  }
  const links = (schema as { links?: unknown }).links;
  for (const link of Object.values(isPlainObject(links) ? links : {})) {
    const { forward, reverse } = link as { forward: Record<string, string>; reverse: Record<string, string> };
    attrs.push({
      ...ATTR_DEFAULTS,
      ns: forward.on!,
      label: forward.label!,
      revNs: reverse.on!,
      revLabel: reverse.label!,
      valueType: 'ref',
      cardinality: forward.has === 'one' ? 'one' : 'many',
      unique: reverse.has === 'one',
      indexed: true,
      onDelete: forward.onDelete ?? null,
      onDeleteReverse: reverse.onDelete ?? null,
    });
  }
  return attrs;
}
