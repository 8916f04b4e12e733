import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((match) => match[1]!);
}

const files = sourceFiles(root).map((path) => ({ path: relative(root, path), imports: importsOf(path) }));
const stageOf = (path: string) => path.split('/')[0]!;
const ORDER = ['errors', 'protocol', 'schema', 'builder', 'compiler', 'client', 'server', 'cli'];

describe('imports flow one way', () => {
  it('builder and compiler never import ky or node:*', () => {
    for (const file of files.filter((f) => ['builder', 'compiler', 'schema', 'protocol', 'errors'].includes(stageOf(f.path)))) {
      for (const spec of file.imports) expect(spec, `${file.path} imports ${spec}`).not.toMatch(/^(node:|ky$)/);
    }
  });

  it('no stage imports a later stage (schema → builder → compiler → client → server)', () => {
    for (const file of files) {
      const stage = ORDER.indexOf(stageOf(file.path));
      for (const spec of file.imports.filter((s) => s.startsWith('../'))) {
        const target = ORDER.indexOf(spec.split('/')[1]!);
        if (stageOf(file.path) === 'server' && spec.split('/')[1] === 'client') throw new Error(`${file.path} imports the client`);
        if (stageOf(file.path) !== 'cli') expect(target, `${file.path} imports ${spec}`).toBeLessThanOrEqual(stage);
      }
    }
  });

  it('index files only re-export', () => {
    for (const file of files.filter((f) => f.path.split('/').at(-1) === 'index.ts')) {
      const code = readFileSync(join(root, file.path), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      const statements = code.split(';').map((s) => s.trim()).filter(Boolean);
      for (const statement of statements) expect(statement, file.path).toMatch(/^export\s/);
    }
  });

  it('keeps files small', () => {
    for (const file of files) {
      const lines = readFileSync(join(root, file.path), 'utf8').split('\n').length;
      expect(lines, file.path).toBeLessThanOrEqual(300);
    }
  });
});
