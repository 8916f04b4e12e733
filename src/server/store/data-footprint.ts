/**
 * The data a query depended on, or a commit changed, as attribute ids and entity ids. A query that read
 * an attribute (any value of it, through any index) or an entity (all its triples) may answer differently
 * after a commit that changed that attribute or that entity; one whose footprint a commit misses cannot.
 *
 * @example
 * const footprint = emptyFootprint();
 * footprint.attrs.add('title-attr-id');
 * overlaps(footprint, { attrs: new Set(['title-attr-id']), entities: new Set() }) // true
 */
export interface DataFootprint {
  readonly attrs: Set<string>;
  readonly entities: Set<string>;
}

/** A footprint with nothing in it. */
export function emptyFootprint(): DataFootprint {
  return { attrs: new Set(), entities: new Set() };
}

/** True when the two footprints share an attribute or an entity (the smaller set is walked). */
export function overlaps(a: Readonly<DataFootprint>, b: Readonly<DataFootprint>): boolean {
  return shares(a.attrs, b.attrs) || shares(a.entities, b.entities);
}

function shares(x: ReadonlySet<string>, y: ReadonlySet<string>): boolean {
  const [small, large] = x.size <= y.size ? [x, y] : [y, x];
  for (const item of small) if (large.has(item)) return true;
  return false;
}
