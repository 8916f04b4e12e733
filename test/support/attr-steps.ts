/**
 * Builders for Instant's `add-attr` payloads in the wire format (spec §9.2), shared by the server
 * tests. Defaults are Instant's for an attribute created without options: cardinality one, not unique,
 * not indexed, not required. `opts` overrides any wire key (`'unique?'`, `'index?'`, `cardinality`, …).
 */
const uuid = (): string => crypto.randomUUID();

/** The payload for a data attribute `ns.label`. */
export function dataAttr(ns: string, label: string, opts: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: uuid(),
    'forward-identity': [uuid(), ns, label],
    'value-type': 'blob',
    cardinality: 'one',
    'unique?': false,
    'index?': false,
    'required?': false,
    ...opts,
  };
}

/** The payload for a link `ns.label` ⇄ `revNs.revLabel` (has-one forward unless `opts` says otherwise). */
export function linkAttr(
  ns: string,
  label: string,
  revNs: string,
  revLabel: string,
  opts: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: uuid(),
    'forward-identity': [uuid(), ns, label],
    'reverse-identity': [uuid(), revNs, revLabel],
    'value-type': 'ref',
    cardinality: 'one',
    'unique?': false,
    'index?': false,
    'required?': false,
    ...opts,
  };
}
