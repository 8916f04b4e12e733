import fc from 'fast-check';
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { compile, tx } from '../src/index.ts';
import { applySteps } from './support/instant-semantics.ts';

const g = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
type Json = any;

describe('change() records the fewest steps', () => {
  it('maps the issue example: nested set → merge of that path, removed key → null', () => {
    const current = { title: 'Get fit', metrics: { progress: 0, streak: 3 }, note: 'x' };
    const steps = compile(
      tx.goals[g].change(current, (draft) => {
        draft.metrics.progress = 0.5;
        delete (draft as Partial<typeof draft>).note;
      }),
    );
    expect(steps).toEqual([['merge', 'goals', g, { metrics: { progress: 0.5 }, note: null }]]);
  });

  it('replaced top-level attribute → update', () => {
    expect(
      compile(
        tx.goals[g].change({ title: 'a', n: 1 }, (d) => {
          d.title = 'b';
        }),
      ),
    ).toEqual([['update', 'goals', g, { title: 'b' }]]);
  });

  it('change inside an array → the whole array is sent', () => {
    const current = { tags: ['a'], meta: { list: [1, 2] } };
    expect(
      compile(
        tx.goals[g].change(current, (d) => {
          d.tags.push('b');
          d.meta.list[0] = 9;
        }),
      ),
    ).toEqual([
      ['update', 'goals', g, { tags: ['a', 'b'] }],
      ['merge', 'goals', g, { meta: { list: [9, 2] } }],
    ]);
  });

  it('setting a nested value to null cannot be a merge (merge would delete it) → update of the attribute', () => {
    expect(
      compile(
        tx.goals[g].change({ meta: { a: 1, b: 2 } }, (d: Json) => {
          d.meta.a = null;
        }),
      ),
    ).toEqual([['update', 'goals', g, { meta: { a: null, b: 2 } }]]);
  });

  it('replacing a nested object drops the keys it no longer has', () => {
    expect(
      compile(
        tx.goals[g].change({ meta: { sub: { a: 1, b: 2 } } }, (d: Json) => {
          d.meta.sub = { a: 1 };
        }),
      ),
    ).toEqual([['merge', 'goals', g, { meta: { sub: { b: null } } }]]);
  });

  it('records nothing when nothing changed', () => {
    const chunk = tx.goals[g].update({ a: 1 });
    const same = chunk.change({ a: 1, m: { x: 1 } }, (d) => {
      d.a = 1;
      d.m.x = 1;
    });
    expect(compile(same)).toEqual(compile(chunk));
  });

  it('rejects values the recipe writes that JSON cannot carry', () => {
    expect(() =>
      tx.goals[g].change({ a: 1 }, (d) => {
        d.a = NaN;
      }),
    ).toThrow(/update\.a: NaN/);
  });
});

const key = fc.constantFrom('a', 'b', 'c', 'd');
const entity = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
const edit = fc.record({
  path: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  kind: fc.constantFrom('set', 'delete', 'push', 'null', 'undefined', 'object'),
  value: fc.jsonValue({ maxDepth: 2 }),
  key,
});

/** Walks the draft along `path` (each number picks a child), then edits what it finds. */
function applyEdit(draft: Json, e: { path: number[]; kind: string; value: unknown; key: string }): void {
  let node = draft;
  for (const step of e.path.slice(0, -1)) {
    const keys = Object.keys(node);
    const child = keys.length > 0 ? node[keys[step % keys.length]!] : undefined;
    if (typeof child !== 'object' || child === null) break;
    node = child;
  }
  const keys = Object.keys(node);
  const value = structuredClone(e.value);
  const last = e.path[e.path.length - 1]!;
  const target: string | number = Array.isArray(node) ? (keys.length ? Number(keys[last % keys.length]) : 0) : e.key;
  switch (e.kind) {
    case 'set':
      node[target] = value;
      break;
    case 'delete':
      if (Array.isArray(node)) node.splice(Number(target), 1);
      else delete node[target];
      break;
    case 'push':
      if (Array.isArray(node)) node.push(value);
      else node[target] = [value];
      break;
    case 'null':
      node[target] = null;
      break;
    case 'undefined':
      if (!Array.isArray(node)) node[target] = undefined;
      break;
    case 'object':
      node[target] = { [e.key]: value, z: null };
      break;
  }
}

/** Instant stores a removed or undefined top-level attribute as null; JSON drops undefined elsewhere. */
function normalize(entity: Record<string, unknown>): Record<string, unknown> {
  const json = JSON.parse(JSON.stringify(entity)) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(json).filter(([, value]) => value !== null));
}

describe('change() property: applying the steps with Instant semantics gives the recipe result', () => {
  it('holds for 3,000 random entities and edit sequences', () => {
    fc.assert(
      fc.property(entity, fc.array(edit, { maxLength: 5 }), (current, edits) => {
        const chunk = tx.goals[g].change(current as Record<string, Json>, (draft) => {
          for (const e of edits) applyEdit(draft, e);
        });
        const expected = produce(current, (draft: Json) => {
          for (const e of edits) applyEdit(draft, e);
        });
        const steps = compile(chunk);
        expect(steps.length).toBeLessThanOrEqual(2);
        expect(normalize(applySteps(current as never, steps as never))).toEqual(normalize(expected));
      }),
      { numRuns: 3_000 },
    );
  });
});
