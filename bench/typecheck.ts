import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { report } from './harness.ts';

const NAMESPACES = 30;
const CHAINS = 30;
const CALLS_PER_CHAIN = 10;
const QUERY_NAMESPACES = 10;
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

/**
 * One query over 10 namespaces, each node with a `where`, a two-level to-many link and a to-one link,
 * and the rows read back (so the result types are computed, as a caller's code would).
 */
function querySource(): string {
  const previous = (n: number) => (n + NAMESPACES - 1) % NAMESPACES;
  const nodes = Array.from(
    { length: QUERY_NAMESPACES },
    (_, n) =>
      `    ns${n}: { $: { where: { slug: 's${n}' }, limit: 10 }, next${n}: { next${n + 1}: {} }, prev${previous(n)}: {} },`,
  );
  const reads = Array.from(
    { length: QUERY_NAMESPACES },
    (_, n) =>
      `    r.ns${n}[0]?.title, r.ns${n}[0]?.next${n}[0]?.next${n + 1}[0]?.slug, r.ns${n}[0]?.prev${previous(n)}?.title,`,
  );
  return `export async function run(): Promise<(string | undefined)[]> {\n  const r = await db.query({\n${nodes.join('\n')}\n  });\n  return [\n${reads.join('\n')}\n  ];\n}\n`;
}

/** What a program contains beyond the schema and `init`: the chained calls, then the query. */
type Parts = 'schema' | 'chains' | 'all';

/** The program, the same text for both SDKs but for the import. */
function program(from: string, access: (ns: string) => string, parts: Parts = 'all'): string {
  const chains = parts === 'schema' ? '' : usageSource(access);
  const query = parts === 'all' ? querySource() : '';
  return `import { i, id, init } from '${from}';\n${schemaSource()}const db = init({ appId: 'app', adminToken: 'token', schema });\nconst tx = db.tx;\n${chains}${query}`;
}

const indexForm = (ns: string) => `tx.${ns}[id()]`;
const sdks = {
  ours: (parts?: Parts) => program('instant-tx', indexForm, parts),
  official: (parts?: Parts) => program('@instantdb/admin', indexForm, parts),
};
/** Ours with the call form `tx.ns(id())`, which also types the id argument (a lookup must name a unique attribute). */
const oursCallForm = program('instant-tx', (ns) => `tx.${ns}(id())`);

interface CheckStats {
  readonly checkMs: number;
  readonly instantiations: number;
}

/** Writes `source` with a strict NodeNext tsconfig into its own folder; returns the folder. */
function writeProject(name: string, source: string): string {
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
  return folder;
}

/** One `tsc --extendedDiagnostics` run; throws (non-zero exit) if the usage does not type-check. */
function checkOnce(folder: string): CheckStats {
  const output = execFileSync(join(process.cwd(), 'node_modules/.bin/tsc'), ['-p', folder, '--extendedDiagnostics'], {
    encoding: 'utf8',
  });
  return {
    checkMs: Number(/Check time:\s+([\d.]+)s/.exec(output)![1]) * 1000,
    instantiations: Number(/Instantiations:\s+(\d+)/.exec(output)![1]),
  };
}

/** Instantiations of the schema + `init` alone, of the 300 chained calls, and of the query. */
function breakdown(name: keyof typeof sdks): string {
  const schema = checkOnce(writeProject(`${name}-schema`, sdks[name]('schema'))).instantiations;
  const chains = checkOnce(writeProject(`${name}-chains`, sdks[name]('chains'))).instantiations;
  const all = checkOnce(writeProject(`${name}-all`, sdks[name]('all'))).instantiations;
  return `${name}: schema ${schema} + chains ${chains - schema} + query ${all - chains}`;
}

/** The run with the median check time (instantiations are the same in every run). */
function median(runs: CheckStats[]): CheckStats {
  return [...runs].sort((a, b) => a.checkMs - b.checkMs)[Math.floor(runs.length / 2)]!;
}

/**
 * 4. Type-check cost of the same typed usage (30-namespace schema, 300 chained calls, a 10-namespace
 * query), ours vs the official types: type instantiations (deterministic; the goal) and check time.
 */
export function benchTypecheck(): void {
  try {
    const folders = { ours: writeProject('ours', sdks.ours()), official: writeProject('official', sdks.official()) };
    const runs: { ours: CheckStats[]; official: CheckStats[] } = { ours: [], official: [] };
    // Alternate the two so load from other processes falls on both alike; check times are a few ms.
    for (let round = 0; round < 9; round++) {
      runs.ours.push(checkOnce(folders.ours));
      runs.official.push(checkOnce(folders.official));
    }
    const mine = median(runs.ours);
    const theirs = median(runs.official);
    const ratio = mine.instantiations / theirs.instantiations;
    report(
      'type instantiations, same typed usage, ours / @instantdb/admin',
      ratio,
      '<= 0.5x',
      ratio <= 0.5,
      `${mine.instantiations} vs ${theirs.instantiations}; check time ${mine.checkMs.toFixed(0)} ms vs ${theirs.checkMs.toFixed(0)} ms (${(mine.checkMs / theirs.checkMs).toFixed(2)}x); ${breakdown('ours')}; ${breakdown('official')}; ours in the call form tx.ns(id()): ${checkOnce(writeProject('ours-call', oursCallForm)).instantiations}`,
    );
  } finally {
    if (!process.env.KEEP_BENCH_TMP) rmSync(dir, { recursive: true, force: true });
  }
}
