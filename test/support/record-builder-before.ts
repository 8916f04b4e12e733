// Records test/fixtures/builder-before.json: what the builder before the node-per-step rewrite answers for
// every case of builder-cases.ts. Run from the repository root, with that commit's source unpacked:
//   mkdir -p scratch/old && git archive 32ecc7c src | tar -x -C scratch/old
//   npx node test/support/record-builder-before.ts scratch/old/src/index.ts && npx biome format --write test/fixtures/builder-before.json
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { chain } from './arbitraries.ts';
import { BUILDER_CASES, buildChain, runCase, type BuilderApi } from './builder-cases.ts';

const G = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
const entry = process.argv[2];
if (!entry) throw new Error('usage: record-builder-before.ts <old src/index.ts>');
const old = await import(pathToFileURL(resolve(entry)).href);
const api: BuilderApi = {
  tx: old.tx,
  lookup: old.lookup,
  compile: old.compile,
  getSteps: old.getSteps,
  txFor: old.txFor,
  i: old.i,
};
const cases: Record<string, unknown> = {};
for (const [name, build] of BUILDER_CASES) {
  if (name in cases) throw new Error(`duplicate case ${name}`);
  cases[name] = runCase(api, build);
}
// The explicit schema option: checks untyped chunks too, and `null` turns the checks off.
const schema = old.i.schema({ entities: { goals: old.i.entity({ title: old.i.string() }) } });
const explicit = {
  'explicit schema checks untyped chunks': runCase(api, ({ tx }) => [tx.goals[G].update({ titel: 1 })], { schema }),
  'explicit null schema skips checks': runCase(api, ({ txFor }) => [txFor(schema).goals[G].update({ titel: 1 })], {
    schema: null,
  }),
};
const chains = fc.sample(chain, { seed: 20261126, numRuns: 40 }).map((spec) => {
  const parsed = JSON.parse(JSON.stringify(spec));
  return { spec: parsed, outcome: runCase(api, (side) => buildChain(side, parsed)) };
});
const text = JSON.stringify({ commit: '32ecc7c', cases, explicit, chains });
writeFileSync(new URL('../fixtures/builder-before.json', import.meta.url), `${text}\n`);
console.log(`${Object.keys(cases).length} cases, ${chains.length} chains, ${text.length} bytes`);
