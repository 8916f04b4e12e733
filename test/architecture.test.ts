import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../src/', import.meta.url).pathname;

/** A source file: its path relative to `src/` (posix separators) and its text. */
interface SourceFile {
  readonly path: string;
  readonly text: string;
}

function sourceFiles(dir: string): SourceFile[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts')
      ? [{ path: relative(root, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }]
      : [];
  });
}

/**
 * Every module specifier a file names: `import … from`, `import type … from`, bare side-effect
 * `import './x.ts'`, `export … from`, `export * from` and dynamic `import('…')`. Comments are removed
 * first so an example in a JSDoc block is not mistaken for an import.
 */
function specifiersOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const patterns = [
    /^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]!));
}

const ORDER = ['errors', 'protocol', 'schema', 'builder', 'compiler', 'client', 'backup', 'server', 'cli'];
const PURE_STAGES = ['builder', 'compiler', 'schema', 'protocol', 'errors'];
/** Files directly in `src/` (the package entry) may import any stage. */
const stageOf = (path: string): string => (path.includes('/') ? path.split('/')[0]! : '(root)');

/**
 * Every import that breaks the layering, as `file imports spec (target)`: a relative import is resolved
 * against the importing file's folder before its stage is compared, so `../../client/init.ts` from
 * `server/x/y.ts` is seen as the client.
 */
function findViolations(files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const stage = stageOf(file.path);
    for (const spec of specifiersOf(file.text)) {
      if (PURE_STAGES.includes(stage) && /^(node:|ky$|ky\/)/.test(spec))
        violations.push(`${file.path} imports ${spec} (${stage} must not do I/O)`);
      if (!spec.startsWith('.')) continue;
      const target = posix.normalize(posix.join(posix.dirname(file.path), spec));
      if (target.startsWith('..')) {
        violations.push(`${file.path} imports ${spec} (outside src/)`);
        continue;
      }
      const targetStage = stageOf(target);
      if (stage === '(root)' || stage === 'cli' || targetStage === stage) continue;
      const allowed =
        targetStage !== '(root)' &&
        ORDER.indexOf(targetStage) < ORDER.indexOf(stage) &&
        !(stage === 'server' && targetStage === 'client');
      if (!allowed)
        violations.push(`${file.path} imports ${spec} (${target}: ${stage} must not import ${targetStage})`);
    }
  }
  return violations;
}

/**
 * The server's own layers, lowest first: a folder may import only folders below it. Layers in one
 * entry are peers and may not import each other. Files directly in `server/` (the entry point and
 * `startLocalServer`) sit on top.
 */
const SERVER_LAYERS: readonly (readonly string[])[] = [
  ['api'],
  ['store'],
  ['read'],
  ['query', 'transact'],
  ['permissions'],
  ['users'],
  ['auth'],
  ['routes'],
  ['http'],
  ['workers'],
  ['live', 'explorer'],
];
const serverRank = (folder: string): number => SERVER_LAYERS.findIndex((layer) => layer.includes(folder));

/** Imports inside `server/` that go up or sideways in {@link SERVER_LAYERS}, or into an unknown folder. */
function findServerViolations(files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files.filter((f) => f.path.startsWith('server/'))) {
    const parts = file.path.split('/');
    const from = parts.length > 2 ? parts[1]! : '(server root)';
    if (from !== '(server root)' && serverRank(from) < 0) violations.push(`${file.path} is in no server layer`);
    for (const spec of specifiersOf(file.text).filter((s) => s.startsWith('.'))) {
      const target = posix.normalize(posix.join(posix.dirname(file.path), spec)).split('/');
      if (target[0] !== 'server' || from === '(server root)') continue;
      const to = target.length > 2 ? target[1]! : '(server root)';
      if (to === from) continue;
      if (to === '(server root)' || serverRank(to) < 0 || serverRank(to) >= serverRank(from))
        violations.push(`${file.path} imports ${spec} (server/${from} must not import server/${to})`);
    }
  }
  return violations;
}

const files = sourceFiles(root);

describe('the import checker', () => {
  it('resolves nested relative imports and sees side-effect imports and re-exports', () => {
    const fake: SourceFile[] = [
      { path: 'server/x/y.ts', text: "import { init } from '../../client/init.ts';\n" },
      { path: 'server/x/z.ts', text: "import '../../client/init.ts';\n" },
      { path: 'builder/a/b.ts', text: "export * from '../../compiler/compile.ts';\n" },
      {
        path: 'compiler/deep/c.ts',
        text: "export { x } from '../../client/x.ts';\nconst y = await import('../../server/index.ts');\n",
      },
      { path: 'schema/s.ts', text: "import type { T } from '../builder/types.ts';\n" },
      { path: 'protocol/p.ts', text: "import { readFileSync } from 'node:fs';\n" },
      {
        path: 'errors/e.ts',
        text: "/** @example import { tx } from '../builder/index.ts' */\nimport { a } from './a.ts';\n",
      },
      {
        path: 'server/ok.ts',
        text: "import { compile } from '../compiler/compile.ts';\nimport { b } from './b.ts';\n",
      },
      { path: 'cli/main.ts', text: "import { init } from '../client/init.ts';\n" },
      { path: 'index.ts', text: "export * from './client/index.ts';\n" },
    ];
    expect(findViolations(fake)).toEqual([
      'server/x/y.ts imports ../../client/init.ts (client/init.ts: server must not import client)',
      'server/x/z.ts imports ../../client/init.ts (client/init.ts: server must not import client)',
      'builder/a/b.ts imports ../../compiler/compile.ts (compiler/compile.ts: builder must not import compiler)',
      'compiler/deep/c.ts imports ../../client/x.ts (client/x.ts: compiler must not import client)',
      'compiler/deep/c.ts imports ../../server/index.ts (server/index.ts: compiler must not import server)',
      'schema/s.ts imports ../builder/types.ts (builder/types.ts: schema must not import builder)',
      'protocol/p.ts imports node:fs (protocol must not do I/O)',
    ]);
  });

  it('orders the server layers: nothing imports upwards or sideways', () => {
    const fake: SourceFile[] = [
      { path: 'server/query/q.ts', text: "import { x } from '../http/handle-request.ts';\n" },
      { path: 'server/transact/t.ts', text: "import { y } from '../query/run-query.ts';\n" },
      { path: 'server/store/s.ts', text: "import type { P } from '../permissions/permissions.ts';\n" },
      { path: 'server/users/u.ts', text: "import { z } from '../local-server.ts';\n" },
      { path: 'server/misc/m.ts', text: '' },
      {
        path: 'server/routes/ok.ts',
        text: "import { a } from '../auth/authenticate.ts';\nimport { b } from '../api/api-error.ts';\n",
      },
      { path: 'server/local-server.ts', text: "import { h } from './http/handle-request.ts';\n" },
    ];
    expect(findServerViolations(fake)).toEqual([
      'server/query/q.ts imports ../http/handle-request.ts (server/query must not import server/http)',
      'server/transact/t.ts imports ../query/run-query.ts (server/transact must not import server/query)',
      'server/store/s.ts imports ../permissions/permissions.ts (server/store must not import server/permissions)',
      'server/users/u.ts imports ../local-server.ts (server/users must not import server/(server root))',
      'server/misc/m.ts is in no server layer',
    ]);
  });

  it('finds the source tree it checks', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((file) => file.path === 'server/query/run-query.ts')).toBe(true);
    const nested = files.filter((file) => file.path.split('/').length > 2).flatMap((file) => specifiersOf(file.text));
    expect(nested.filter((spec) => spec.startsWith('../../')).length).toBeGreaterThan(20);
  });
});

describe('imports flow one way', () => {
  it('no stage imports a later stage, nor does I/O before the client (schema → builder → compiler → client → server)', () => {
    expect(findViolations(files)).toEqual([]);
  });

  it('the server is layered api → store → read → query, transact → permissions → users → auth → routes → http → workers', () => {
    expect(findServerViolations(files)).toEqual([]);
  });

  it('index files only re-export', () => {
    for (const file of files.filter((f) => f.path.split('/').at(-1) === 'index.ts')) {
      const code = file.text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      const statements = code
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const statement of statements) expect(statement, file.path).toMatch(/^export\s/);
    }
  });

  it('keeps files small', () => {
    for (const file of files) expect(file.text.split('\n').length, file.path).toBeLessThanOrEqual(300);
  });
});
