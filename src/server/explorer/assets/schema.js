// The app's schema as the views need it: each namespace's attributes and links (both directions).
import { api } from './api.js';

/**
 * Loads `/admin/schema` (as the admin: the schema is the same for everyone) into
 * `Map<ns, { attrs: Attr[], links: Link[] }>` where `Attr = { label, indexed, unique, types, checked }` and
 * `Link = { label, target, back }` (`back`: the same link's label seen from `target`).
 */
export async function loadSchema() {
  const answer = await api('schema', undefined, { asAdmin: true });
  if (!answer.ok) throw new Error(answer.data.message ?? `schema: HTTP ${answer.status}`);
  const namespaces = new Map();
  const entry = (ns) => {
    if (!namespaces.has(ns)) namespaces.set(ns, { attrs: [], links: [] });
    return namespaces.get(ns);
  };
  for (const [ns, attrs] of Object.entries(answer.data.schema.blobs)) {
    for (const [label, record] of Object.entries(attrs)) {
      if (label === 'id') continue;
      const checked = record['checked-data-type'] ?? undefined;
      const types = checked ? [checked] : (record['inferred-types'] ?? []);
      entry(ns).attrs.push({ label, indexed: record['index?'], unique: record['unique?'], types, checked });
    }
    entry(ns);
  }
  for (const record of Object.values(answer.data.schema.refs)) {
    const [, ns, label] = record['forward-identity'];
    const [, revNs, revLabel] = record['reverse-identity'];
    entry(ns).links.push({ label, target: revNs, back: revLabel });
    entry(revNs).links.push({ label: revLabel, target: ns, back: label });
  }
  for (const value of namespaces.values()) {
    value.attrs.sort((a, b) => a.label.localeCompare(b.label));
    value.links.sort((a, b) => a.label.localeCompare(b.label));
  }
  return new Map([...namespaces].sort(([a], [b]) => a.localeCompare(b)));
}

const NAME_LIKE = ['name', 'title', 'handle', 'email', 'label', 'path'];

/** The attribute that best names a row of `ns` (for link chips), or undefined (the id then). */
export function displayAttr(schema, ns) {
  const labels = (schema.get(ns)?.attrs ?? []).map((attr) => attr.label);
  return NAME_LIKE.find((label) => labels.includes(label));
}
