import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// A user's clone has no ../shared (it exists only beside CI's checkout); a test that reads it passes in
// CI and fails for every user. Built from parts so this file does not match itself.
const SHARED_PATH = new RegExp(['(\\.\\./)+', 'shared/'].join(''));
const root = new URL('../', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    return statSync(path).isDirectory() ? files(path) : /\.(ts|js|json)$/.test(name) ? [path] : [];
  });
}

describe('the repository is self-contained', () => {
  it('no source, test, benchmark or example reads ../shared', () => {
    const offenders = ['src', 'test', 'bench', 'types', 'examples']
      .flatMap((dir) => files(join(root, dir)))
      .filter((path) => SHARED_PATH.test(readFileSync(path, 'utf8')))
      .map((path) => relative(root, path));
    expect(offenders).toEqual([]);
  });

  it('vendors the zeneca data set with its attribution', () => {
    const readme = readFileSync(join(root, 'test/fixtures/zeneca/README.md'), 'utf8');
    expect(readme).toMatch(/Apache-2\.0/);
    expect(JSON.parse(readFileSync(join(root, 'test/fixtures/zeneca/triples.json'), 'utf8'))).toHaveLength(2642);
  });
});
