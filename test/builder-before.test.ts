import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileForRequest } from '../src/compiler/index.ts';
import { compile, getSteps, i, lookup, tx, txFor } from '../src/index.ts';
import { BUILDER_CASES, buildChain, runCase, type BuilderApi, type CaseOutcome } from './support/builder-cases.ts';
import type { ChainSpec } from './support/arbitraries.ts';

/**
 * What the builder answered before the node-per-step rewrite (commit 32ecc7c), recorded by running the
 * cases of `support/builder-cases.ts` on that commit's source: steps, recorded steps, `String(chunk)`,
 * or the error's name and every issue's code, path and message.
 */
const before = JSON.parse(readFileSync(new URL('./fixtures/builder-before.json', import.meta.url), 'utf8')) as {
  cases: Record<string, CaseOutcome>;
  explicit: Record<string, CaseOutcome>;
  chains: { spec: ChainSpec; outcome: CaseOutcome }[];
};

const api: BuilderApi = { tx, lookup, compile, getSteps, txFor, i };
/** The same API, but compiling the way `db.transact` does: straight from the nodes, unfrozen. */
const requestApi: BuilderApi = { ...api, compile: compileForRequest };

const G = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';

describe('the builder answers exactly as before the node-per-step rewrite', () => {
  it('has a recorded answer for every case', () => {
    expect(Object.keys(before.cases).sort()).toEqual(BUILDER_CASES.map(([name]) => name).sort());
  });

  it.each(BUILDER_CASES)('%s', (name, build) => {
    expect(runCase(api, build)).toEqual(before.cases[name]);
  });

  it.each(BUILDER_CASES)('%s, compiled for a request', (name, build) => {
    expect(runCase(requestApi, build)).toEqual(before.cases[name]);
  });

  it('checks against an explicit schema, or skips the checks for schema: null', () => {
    const schema = i.schema({ entities: { goals: i.entity({ title: i.string() }) } });
    for (const side of [api, requestApi]) {
      expect(runCase(side, ({ tx: t }) => [t.goals[G].update({ titel: 1 })], { schema })).toEqual(
        before.explicit['explicit schema checks untyped chunks'],
      );
      expect(
        runCase(side, ({ txFor: typed }) => [typed(schema).goals[G].update({ titel: 1 })], { schema: null }),
      ).toEqual(before.explicit['explicit null schema skips checks']);
    }
  });

  it(`gives the same steps, recorded steps and text for ${before.chains.length} random chains`, () => {
    for (const { spec, outcome } of before.chains) {
      expect(runCase(api, (side) => buildChain(side, spec))).toEqual(outcome);
      expect(runCase(requestApi, (side) => buildChain(side, spec))).toEqual(outcome);
    }
  });
});
