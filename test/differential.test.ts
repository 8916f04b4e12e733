import { lookup as officialLookup, tx as officialTx } from '@instantdb/admin';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, lookup, tx } from '../src/index.ts';
import { chain, type ChainSpec, type RefSpec } from './support/arbitraries.ts';

type AnyChunk = Record<string, (...args: unknown[]) => AnyChunk>;
type Side = { tx: any; lookup: (attr: string, value: unknown) => string };

const ours: Side = { tx, lookup };
const official: Side = { tx: officialTx, lookup: officialLookup };

function target(side: Side, ref: RefSpec): string {
  return ref.kind === 'id' ? ref.id : side.lookup(ref.attr, ref.value);
}

function build(side: Side, spec: ChainSpec): AnyChunk {
  const ns = side.tx[spec.namespace];
  let chunk: AnyChunk;
  if (spec.ref.kind === 'lookup' && spec.access === 'method') chunk = ns.lookup(spec.ref.attr, spec.ref.value);
  else if (spec.access === 'call' && side === ours) chunk = ns(target(side, spec.ref));
  else chunk = ns[target(side, spec.ref)];
  for (const op of spec.ops) {
    switch (op.op) {
      case 'update':
      case 'merge':
        chunk = op.opts === undefined ? chunk[op.op]!(op.attrs) : chunk[op.op]!(op.attrs, op.opts);
        break;
      case 'create':
      case 'ruleParams':
        chunk = chunk[op.op]!(op.attrs);
        break;
      case 'link':
      case 'unlink': {
        const links = Object.fromEntries(
          Object.entries(op.links).map(([label, t]) => [
            label,
            Array.isArray(t) ? t.map((r) => target(side, r)) : target(side, t),
          ]),
        );
        chunk = chunk[op.op]!(links);
        break;
      }
      case 'delete':
        chunk = chunk.delete!();
        break;
    }
  }
  return chunk;
}

function officialSteps(chunks: AnyChunk[]): unknown {
  return JSON.parse(JSON.stringify(chunks.flatMap((chunk) => (chunk as unknown as { __ops: unknown[] }).__ops)));
}

describe('compile() against @instantdb/admin 1.0.67', () => {
  it('produces exactly the steps the official tx records, for 10,000 random chains', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.array(chain, { minLength: 1, maxLength: 3 }), (specs) => {
        const mine = compile(specs.map((spec) => build(ours, spec)));
        const theirs = officialSteps(specs.map((spec) => build(official, spec)));
        expect(mine).toEqual(theirs);
        expect(JSON.parse(JSON.stringify(mine))).toEqual(theirs);
        compared += specs.length;
      }),
      { numRuns: 10_000 },
    );
    expect(compared).toBeGreaterThanOrEqual(10_000);
  });

  it('matches on the quirks: delete carries null, eid lookups are pairs, link lookups are strings', () => {
    const goal = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
    const mine = compile(tx.goals[goal].delete().link({ owner: lookup('handle', 'stopa') }));
    const theirs = officialSteps([
      officialTx.goals[goal].delete().link({ owner: officialLookup('handle', 'stopa') }) as never,
    ]);
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([
      ['delete', 'goals', goal, null],
      ['link', 'goals', goal, { owner: 'lookup__handle__"stopa"' }],
    ]);
    const byLookup = compile(tx.users[lookup('email', 'a@b.co')].update({ n: 1 }));
    expect(byLookup).toEqual(
      officialSteps([officialTx.users[officialLookup('email', 'a@b.co')].update({ n: 1 }) as never]),
    );
    expect(byLookup[0]![2]).toEqual(['email', 'a@b.co']);
  });
});
