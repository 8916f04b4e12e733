import type { EntityReader } from '../read/entity-reader.ts';
import type { WherePath } from './query-plan.ts';
import type { ReadGuard } from './read-guard.ts';

/**
 * The values a resolved `where` path reaches from entity `id`: the path's links are followed from
 * every entity reached, then the leaf is read. A link that leads nowhere from some entity, or a leaf
 * with no value, contributes one `null`, so "some value reached is null" is how Instant's `$isNull`
 * (and the null branch of `$not`) sees a missing link or attribute anywhere on the path.
 *
 * With a `guard` (an impersonated query), a link reaches only the entities the caller may view through
 * a visible link ({@link ReadGuard.canFollow}); an entity whose links all lead to such hidden entities
 * contributes nothing, not `null`. The leaf's value counts only when visible (its field rule passes);
 * a hidden value contributes nothing, a missing one still `null`. `presence` (an `$isNull` check) reads
 * whether the leaf is set, which field rules do not hide, as Instant tests it through the entity's `id`.
 */
export function reachValues(
  reader: EntityReader,
  id: string,
  path: WherePath,
  guard: ReadGuard | undefined,
  presence: boolean,
): unknown[] {
  let entities: (string | null)[] = [id];
  for (const link of path.links) {
    const next: (string | null)[] = [];
    for (const entity of entities) {
      const linked = entity === null ? [] : reader.follow(entity, link);
      if (entity === null || linked.length === 0) next.push(null);
      else for (const target of linked) if (!guard || guard.canFollow(entity, link, target)) next.push(target);
    }
    entities = next;
  }
  const values: unknown[] = [];
  for (const entity of entities) {
    const found = entity === null ? [] : leafValues(reader, entity, path.leaf);
    if (entity === null || found.length === 0) values.push(null);
    else if (!guard || presence) values.push(...found);
    else values.push(...visibleValues(guard, entity, path.leaf, found));
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

/** The leaf values of `entity` the caller may see (a link's ids: those whose link triple is visible). */
function visibleValues(
  guard: ReadGuard,
  entity: string,
  leaf: WherePath['leaf'],
  found: readonly unknown[],
): readonly unknown[] {
  switch (leaf.kind) {
    case 'id':
      return found;
    case 'attr':
      return guard.canSeeValue(leaf.attr.ns, entity, leaf.attr.label) ? found : [];
    case 'link':
      return found.filter((target) => guard.canSeeLink(entity, leaf.link, String(target)));
  }
}
