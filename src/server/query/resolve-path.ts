import type { AttrRegistry, LinkEnd } from '../store/attr-registry.ts';
import { type Attr, attrToWire } from '../store/attr.ts';
import { queryValidationError } from './query-errors.ts';
import { PlanNodes, type WherePath } from './query-plan.ts';

/**
 * Thrown while resolving a node when a namespace, link or attribute it names does not exist. Instant
 * answers such a node with no rows rather than an error (`guarded-where-query`), so `resolveForm`
 * catches it and marks the node unresolved. It never leaves the query folder.
 */
export class UnresolvedReference extends Error {
  override name = 'UnresolvedReference';
  readonly reference: string;

  constructor(reference: string) {
    super(`no attribute ${reference}`);
    this.reference = reference;
  }
}

/** A resolved `where` path, with the namespace and attribute its last label names. */
export interface ResolvedPath {
  readonly path: WherePath;
  readonly leafNs: string;
  readonly leafAttr: Attr;
}

/**
 * Resolves a dotted `where` key from namespace `ns`: every label but the last must be a link (forward
 * or reverse), the last an attribute, link or `id`. A label naming a data attribute where a link is
 * needed is Instant's `attr` validation error ("users.handle needs to be a link"); a label naming
 * nothing throws {@link UnresolvedReference}. An `$isNull` check also needs the last namespace's `id`.
 */
export function resolvePath(
  registry: AttrRegistry,
  ns: string,
  segments: readonly string[],
  isNullCheck: boolean,
): ResolvedPath {
  const links: LinkEnd[] = [];
  let current = ns;
  for (const label of segments.slice(0, -1)) {
    const link = findLink(registry, current, label);
    if (!link) throw new UnresolvedReference(`${current}.${label}`);
    links.push(link);
    current = link.target;
  }
  const label = segments[segments.length - 1]!;
  if (isNullCheck && !registry.forward(current, 'id')) throw new UnresolvedReference(`${current}.id`);
  const attr = lookup(registry, current, label);
  const path = (leaf: WherePath['leaf']) => PlanNodes.path(segments.join('.'), links, leaf);
  if (attr.valueType === 'ref')
    return { path: path({ kind: 'link', link: findLink(registry, current, label)! }), leafNs: current, leafAttr: attr };
  return { path: path(label === 'id' ? { kind: 'id' } : { kind: 'attr', attr }), leafNs: current, leafAttr: attr };
}

/** The attribute `ns.label` names, forward first (Instant's `(or attr-fwd attr-rev)`). */
function lookup(registry: AttrRegistry, ns: string, label: string): Attr {
  const attr = registry.forward(ns, label) ?? registry.reverse(ns, label);
  if (!attr) throw new UnresolvedReference(`${ns}.${label}`);
  return attr;
}

/**
 * The link `ns.label` names, forward or reverse, or undefined when it names nothing. A label naming a
 * data attribute is Instant's `attr` validation error ("users.handle needs to be a link").
 */
export function findLink(registry: AttrRegistry, ns: string, label: string): LinkEnd | undefined {
  const forward = registry.forward(ns, label);
  const attr = forward ?? registry.reverse(ns, label);
  if (!attr) return undefined;
  if (attr.valueType !== 'ref')
    throw queryValidationError('attr', attrToWire(attr), [{ message: `${ns}.${label} needs to be a link` }]);
  return attr === forward ? { attr, forward: true, target: attr.revNs! } : { attr, forward: false, target: attr.ns };
}
