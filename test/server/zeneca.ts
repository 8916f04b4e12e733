import { readFileSync } from 'node:fs';

const dir = new URL('../fixtures/zeneca/', import.meta.url);
export const attrs = JSON.parse(readFileSync(new URL('attrs.json', dir), 'utf8')) as any[];
export const triples = JSON.parse(readFileSync(new URL('triples.json', dir), 'utf8')) as [
  string,
  string,
  unknown,
  number,
][];

const byId = new Map(attrs.map((attr) => [attr.id, attr]));

/** The zeneca data set as transact steps: add-attr for every attribute, then update/link per entity. */
export function zenecaSteps(): unknown[][] {
  const steps: unknown[][] = attrs.map((attr) => ['add-attr', attr]);
  for (const [e, a, v] of triples) {
    const attr = byId.get(a)!;
    const [, ns, label] = attr['forward-identity'];
    if (label === 'id') steps.push(['update', ns, e, {}]);
    else if (attr['value-type'] === 'ref') steps.push(['link', ns, e, { [label]: v }]);
    else steps.push(['update', ns, e, { [label]: v }]);
  }
  return steps;
}

/** Plain-JS answers from the raw triples, to check the server against. */
export function valuesOf(ns: string, label: string): Map<string, unknown> {
  const attr = attrs.find((x) => x['forward-identity'][1] === ns && x['forward-identity'][2] === label)!;
  return new Map(triples.filter(([, a]) => a === attr.id).map(([e, , v]) => [e, v]));
}

export function linksOf(ns: string, label: string): [string, string][] {
  const attr = attrs.find((x) => x['forward-identity'][1] === ns && x['forward-identity'][2] === label)!;
  return triples.filter(([, a]) => a === attr.id).map(([e, , v]) => [e, String(v)]);
}
