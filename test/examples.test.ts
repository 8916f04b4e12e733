import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { extractExamples, findExamples } from '../scripts/extract-examples.ts';

// `npm run typecheck` compiles every JSDoc @example under src/ (scripts/extract-examples.ts, then
// tsconfig.examples.json). These tests prove on a tiny synthetic project that the check can fail.
const root = new URL('../', import.meta.url).pathname;
const tsc = join(root, 'node_modules/typescript/bin/tsc');

const SOURCE = `/**
 * Adds two numbers.
 *
 * @example
 * const sum = add(1, 2); // 3
 * sum.toFixed(1);
 * @param a the first
 */
export function add(a: number, b: number): number {
  return a + b;
}

/** A pair. @example const p: Pair = [answer, 2]; */
export type Pair = readonly [number, number];

/** Greets. @example await greet('Alyssa') */
export async function greet(name: string): Promise<string> {
  return \`hi \${name}\`;
}
`;

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/**
 * A project holding `src/math.ts` (SOURCE with `replace` applied), `src/double.ts` whose example uses
 * `add` through the entry point `src/index.ts`, and a prelude declaring `answer`.
 */
function project(replace: (source: string) => string = (source) => source): string {
  const dir = mkdtempSync(join(tmpdir(), 'instant-tx-examples-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'scripts'));
  writeFileSync(join(dir, 'src/math.ts'), replace(SOURCE));
  writeFileSync(
    join(dir, 'src/double.ts'),
    '/** Doubles. @example double(add(1, 2)) // 6 */\nexport const double = (n: number): number => n * 2;\n',
  );
  writeFileSync(
    join(dir, 'src/index.ts'),
    "export { add, type Pair } from './math.ts';\nexport * from './double.ts';\n",
  );
  writeFileSync(join(dir, 'scripts/prelude.ts'), 'export declare const answer: number;\n');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const config = {
    extends: join(root, 'tsconfig.examples.json'),
    compilerOptions: { types: [] },
    include: ['.examples/**/*.ts'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  return dir;
}

function extract(dir: string) {
  return extractExamples({
    root: dir,
    srcDir: 'src',
    outDir: '.examples',
    entries: ['src/index.ts'],
    prelude: 'scripts/prelude.ts',
  });
}

function typecheck(dir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('JSDoc examples are extracted and type-checked', () => {
  it('finds multi-line and inline @example blocks, ending at the next tag', () => {
    expect(findExamples(SOURCE)).toEqual([
      { line: 4, symbol: 'add', code: 'const sum = add(1, 2); // 3\nsum.toFixed(1);' },
      { line: 13, symbol: 'Pair', code: 'const p: Pair = [answer, 2];' },
      { line: 16, symbol: 'greet', code: "await greet('Alyssa')" },
    ]);
  });

  it('refuses an @example it would otherwise skip, and ignores an email address', () => {
    expect(() => findExamples('/**\n * Adds. @example add(1, 2)\n */')).toThrow('line 2: put @example at the start');
    expect(() => findExamples('/** Adds. @example */')).toThrow('line 1: an inline @example needs code');
    expect(findExamples('/**\n * Mails alyssa@example.com.\n */')).toEqual([]);
  });

  it('wraps each example in its own async function after imports of the module, the entries and the prelude', () => {
    const dir = project();
    expect(extract(dir)).toEqual({ files: 2, examples: 4 });
    const generated = readFileSync(join(dir, '.examples/src/math.ts'), 'utf8');
    expect(generated).toContain("import { add, type Pair, greet } from '../../src/math.ts';");
    expect(generated).toContain("import { double } from '../../src/index.ts';");
    expect(generated).toContain("import { answer } from '../../scripts/prelude.ts';");
    expect(readFileSync(join(dir, '.examples/src/double.ts'), 'utf8')).toContain(
      "import { double } from '../../src/double.ts';\nimport { add, type Pair } from '../../src/index.ts';",
    );
    expect(generated).toContain(
      '// src/math.ts:4 (add)\nexport async function example_L4_add(): Promise<void> {\n  const sum = add(1, 2); // 3\n  sum.toFixed(1);\n}',
    );
    expect(generated).toContain(
      "export async function example_L16_greet(): Promise<void> {\n  await greet('Alyssa')\n}",
    );
  });

  it('compiles examples that are right', () => {
    const dir = project();
    extract(dir);
    const { status, output } = typecheck(dir);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('fails on an example that does not compile, naming the generated file', () => {
    const dir = project((source) => source.replace('add(1, 2)', "add(1, '2')"));
    extract(dir);
    const { status, output } = typecheck(dir);
    expect(status).not.toBe(0);
    expect(output).toMatch(/\.examples\/src\/math\.ts\(\d+,\d+\): error TS2345: Argument of type 'string'/);
  });

  it('is part of npm run typecheck', () => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(scripts.typecheck).toContain('npm run typecheck:examples');
    expect(scripts['typecheck:examples']).toBe('node scripts/extract-examples.ts && tsc -p tsconfig.examples.json');
  });

  it('fails on an example that uses a name nothing declares', () => {
    const dir = project((source) => source.replace('[answer, 2]', '[question, 2]'));
    extract(dir);
    const { status, output } = typecheck(dir);
    expect(status).not.toBe(0);
    expect(output).toContain("error TS2304: Cannot find name 'question'");
  });
});
