import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

// Spy on immer's global switch, keeping its behaviour.
vi.mock('immer', async (importOriginal) => {
  const actual = await importOriginal<typeof import('immer')>();
  return { ...actual, enablePatches: vi.fn(actual.enablePatches) };
});

const goalId = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';

describe('importing instant-tx has no side effects (package.json says sideEffects: false)', () => {
  it('makes the claim', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      sideEffects?: unknown;
    };
    expect(pkg.sideEffects).toBe(false);
  });

  it("leaves immer's patches off until the first change(), then enables them once", async () => {
    const immer = await import('immer');
    const { tx } = await import('../src/index.ts');
    expect(immer.enablePatches).not.toHaveBeenCalled();
    const chunk = tx.goals[goalId].change({ title: 'a' }, (draft) => {
      draft.title = 'b';
    });
    expect(JSON.parse(JSON.stringify(chunk))).toEqual([['update', 'goals', goalId, { title: 'b' }]]);
    tx.goals[goalId].change({ n: 1 }, (draft) => {
      draft.n = 2;
    });
    expect(immer.enablePatches).toHaveBeenCalledTimes(1);
  });
});
