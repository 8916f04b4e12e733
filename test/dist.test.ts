import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `npm test` builds first; this checks what npm would publish, through the package's own exports map.
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('the built package', () => {
  it('declares ESM, no side effects, dist-only files, types and a bin', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.files).toEqual(['dist']);
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(Object.keys(pkg.bin)).toEqual(['instant-tx']);
    expect(existsSync(new URL('../dist/index.d.ts', import.meta.url))).toBe(true);
  });

  it('imports by package name and compiles like the source', async () => {
    const built = await import('instant-tx');
    const source = await import('../src/index.ts');
    const g = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
    const build = (m: typeof source) =>
      m.compile(
        m
          .tx('goals')(g)
          .update({ at: new Date(0) })
          .link({ owner: m.lookup('email', 'a@b.co') })
          .delete(),
      );
    expect(build(built as unknown as typeof source)).toEqual(build(source));
    expect(() => built.tx('goals')(g).update({ n: NaN })).toThrow(built.InstantValidationError);
  });

  it('ships a bin that answers --help and --version', async () => {
    const { execFileSync } = await import('node:child_process');
    const bin = new URL(`../${pkg.bin['instant-tx']}`, import.meta.url).pathname;
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(pkg.version);
    expect(execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })).toContain('Usage: instant-tx');
  });
});
