import { setField } from '../../protocol/json.ts';
import type { EntityReader } from './entity-reader.ts';

/**
 * The stored entity as Instant shows it: `id`, every forward cardinality-one attribute (has-one links as
 * the linked id), and `null` for indexed attributes never set.
 */
export function entityData(reader: EntityReader, ns: string, id: string): Record<string, unknown> {
  const data: Record<string, unknown> = { id };
  for (const triple of reader.triples(id)) {
    const attr = reader.registry.byId(triple.a);
    if (!attr || attr.ns !== ns || attr.cardinality !== 'one' || attr.label === 'id') continue;
    setField(data, attr.label, triple.v);
  }
  for (const attr of reader.registry.all()) {
    if (
      attr.ns === ns &&
      attr.indexed &&
      attr.valueType === 'blob' &&
      attr.label !== 'id' &&
      !Object.hasOwn(data, attr.label)
    )
      setField(data, attr.label, null);
  }
  return data;
}
