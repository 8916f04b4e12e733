import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { report } from './harness.ts';

const NAMESPACES = 30;
const CHAINS = 30;
const CALLS_PER_CHAIN = 10;
const dir = new URL('./.tmp/', import.meta.url).pathname;

function schemaSource(): string {
  const entities = Array.from(
    { length: NAMESPACES },
    (_, n) =>
      `    ns${n}: i.entity({ title: i.string(), slug: i.string().unique().indexed(), rank: i.number().optional(), done: i.boolean().optional(), due: i.date().optional(), meta: i.json().optional() }),`,
  );
  const links = Array.from(
    { length: NAMESPACES },
    (_, n) =>
      `    l${n}: { forward: { on: 'ns${n}', has: 'many', label: 'next${n}' }, reverse: { on: 'ns${(n + 1) % NAMESPACES}', has: 'one', label: 'prev${n}' } },`,
  );
  return `export const schema = i.schema({\n  entities: {\n${entities.join('\n')}\n  },\n  links: {\n${links.join('\n')}\n  },\n});\n`;
}

/** 300 chained calls: 30 chains of 10 calls, each on a different namespace. */
function usageSource(access: (ns: string) => string): string {
  const chains = Array.from({ length: CHAINS }, (_, c) => {
    const ns = `ns${c % NAMESPACES}`;
    const calls = Array.from({ length: CALLS_PER_CHAIN }, (_, k) => {
      switch (k % 5) {
        case 0:
          return `.update({ title: 't${k}', rank: ${k} })`;
        case 1:
          return `.link({ next${c % NAMESPACES}: [id(), id()] })`;
        case 2:
          return `.merge({ meta: { k: ${k} } })`;
        case 3:
          return `.unlink({ next${c % NAMESPACES}: id() })`;
        default:
          return `.update({ done: true, due: new Date() })`;
      }
    });
    return `export const c${c} = ${access(ns)}${calls.join('')};`;
  });
  return `${chains.join('\n')}\n`;
}

const ours = `import { i, id, txFor } from 'instant-tx';\n${schemaSource()}const tx = txFor(schema);\n${usageSource((ns) => `tx.${ns}(id())`)}`;
const official = `import { i, id, init } from '@instantdb/admin';\n${schemaSource()}const db = init({ appId: '', schema });\nconst tx = db.tx;\n${usageSource((ns) => `tx.${ns}[id()]`)}`;

function checkStats(name: string, source: string): { checkMs: number; instantiations: number } {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'usage.ts'), source);
  writeFileSync(
    join(folder, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      files: ['usage.ts'],
    }),
  );
  const runs = Array.from({ length: 5 }, () => {
    const output = execFileSync(join(process.cwd(), 'node_modules/.bin/tsc'), ['-p', folder, '--extendedDiagnostics'], {
      encoding: 'utf8',
    });
    return {
      checkMs: Number(/Check time:\s+([\d.]+)s/.exec(output)![1]) * 1000,
      instantiations: Number(/Instantiations:\s+(\d+)/.exec(output)![1]),
    };
  });
  runs.sort((a, b) => a.checkMs - b.checkMs);
  return runs[2]!;
}

/** 4. Type-check cost of the same typed usage (30-namespace schema, 300 chained calls), ours vs the official types. */
export function benchTypecheck(): void {
  try {
    const mine = checkStats('ours', ours);
    const theirs = checkStats('official', official);
    report(
      'type-check time, ours / @instantdb/admin',
      mine.checkMs / theirs.checkMs,
      '<= 0.5x',
      mine.checkMs / theirs.checkMs <= 0.5,
      `check ${mine.checkMs.toFixed(0)} ms vs ${theirs.checkMs.toFixed(0)} ms; instantiations ${mine.instantiations} vs ${theirs.instantiations} (${(mine.instantiations / theirs.instantiations).toFixed(2)}x)`,
    );
  } finally {
    if (!process.env.KEEP_BENCH_TMP) rmSync(dir, { recursive: true, force: true });
  }
}
