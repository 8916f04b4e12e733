import type { EntityReader } from '../read/entity-reader.ts';
import type { WherePath } from './query-plan.ts';

/**
 * The values a resolved `where` path reaches from entity `id`: the path's links are followed from
 * every entity reached, then the leaf is read. A link that leads nowhere from some entity, or a leaf
 * with no value, contributes one `null`, so "some value reached is null" is how Instant's `$isNull`
 * (and the null branch of `$not`) sees a missing link or attribute anywhere on the path.
 */
export function reachValues(reader: EntityReader, id: string, path: WherePath): unknown[] {
  let entities: (string | null)[] = [id];
  for (const link of path.links) {
    const next: (string | null)[] = [];
    for (const entity of entities) {
      const linked = entity === null ? [] : reader.follow(entity, link);
      if (linked.length === 0) next.push(null);
      for (const target of linked) next.push(target);
    }
    entities = next;
  }
  const values: unknown[] = [];
  for (const entity of entities) {
    const found = entity === null ? [] : leafValues(reader, entity, path.leaf);
    if (found.length === 0) values.push(null);
    for (const value of found) values.push(value);
  }
  return values;
}

function leafValues(reader: EntityReader, entity: string, leaf: WherePath['leaf']): readonly unknown[] {
  switch (leaf.kind) {
    case 'id':
      return [entity];
    case 'attr':
      return reader.values(entity, leaf.attr);
    case 'link':
      return reader.follow(entity, leaf.link);
  }
}
