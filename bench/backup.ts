// Run alone: npx node --expose-gc bench/backup.ts [entities=100000] [heapEntities=1000000]
// (npm run build first: the heap run serves the big app from the built CLI in a child process).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupApp, restoreApp, writeBackup } from '../src/backup/index.ts';
import { init } from '../src/client/init.ts';
import { startLocalServer } from '../src/server/index.ts';
import { report } from './harness.ts';

const ENTITIES = Number(process.argv[2] ?? 100_000);
const HEAP_ENTITIES = Number(process.argv[3] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'instant-tx-bench-backup-'));
const gc = (globalThis as { gc?: () => void }).gc;

const SCHEMA = {
  entities: {
    items: {
      attrs: {
        title: { valueType: 'string', config: { unique: false, indexed: false } },
        n: { valueType: 'number', config: { unique: false, indexed: true } },
        done: { valueType: 'boolean', config: { unique: false, indexed: false } },
      },
    },
  },
  links: {},
} as const;

function* items(count: number) {
  for (let index = 0; index < count; index++)
    yield {
      namespace: 'items',
      entity: { id: crypto.randomUUID(), title: `item ${index}`, n: index, done: index % 2 === 0 },
      createdAt: 1_700_000_000_000 + index,
    };
}

const time = async (work: () => Promise<unknown>) => {
  const start = performance.now();
  await work();
  return performance.now() - start;
};

/** Backup and restore of ENTITIES entities vs writing the same data with transactBatches. */
async function ratios(): Promise<void> {
  const source = await startLocalServer({ dbPath: join(dir, 'source.db') });
  const connect = (server: { appId: string; adminToken: string; url: string }) => ({
    appId: server.appId,
    adminToken: server.adminToken,
    apiURI: server.url,
  });
  const db = init(connect(source));
  const steps = function* () {
    for (const { entity } of items(ENTITIES)) {
      const { id, ...attrs } = entity;
      yield ['update', 'items', id, attrs];
    }
  };
  const baseline = await time(() => db.transactBatches(steps() as never, { maxSteps: 500 }));
  const zip = join(dir, 'bench.zip');
  const backup = await time(() => backupApp(connect(source), { out: zip, pageSize: 1000 }));
  const local = await time(async () => {
    const server = await startLocalServer({ restore: zip, dbPath: join(dir, 'restored.db') });
    await server.close();
  });
  const target = await startLocalServer({ dbPath: join(dir, 'target.db') });
  const api = await time(() => restoreApp(zip, connect(target), { maxSteps: 500 }));
  await Promise.all([source.close(), target.close()]);
  const rate = (ms: number) => `${Math.round(ENTITIES / (ms / 1000)).toLocaleString('en')}/s`;
  const detail = `${ENTITIES.toLocaleString('en')} entities; transactBatches ${rate(baseline)}`;
  report(
    'backup through the Admin API / transactBatches of the same data',
    baseline / backup,
    '>= 1x',
    baseline / backup >= 1,
    `${detail}, backup ${rate(backup)}`,
  );
  report(
    'serve --restore (local) / transactBatches',
    baseline / local,
    '>= 5x',
    baseline / local >= 5,
    `${detail}, local restore ${rate(local)}`,
  );
  report(
    'restore --to (Admin API) / transactBatches',
    baseline / api,
    '>= 0.8x',
    baseline / api >= 0.8,
    `${detail}, API restore ${rate(api)}`,
  );
}

/** Heap while backing up HEAP_ENTITIES from a server in another process: second half / first half. */
async function heapFlat(): Promise<void> {
  if (!gc) throw new Error('run with --expose-gc');
  const big = join(dir, 'big.zip');
  await writeBackup(big, { config: { schema: SCHEMA, rules: null }, entities: items(HEAP_ENTITIES) });
  const child = spawn(
    process.execPath,
    [
      new URL('../dist/cli/main.js', import.meta.url).pathname,
      'serve',
      '--restore',
      big,
      '--db',
      join(dir, 'big.db'),
      '--json',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk) => resolve(String(chunk)));
      child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const { url, appId, adminToken } = JSON.parse(line) as { url: string; appId: string; adminToken: string };
    const samples: number[] = [];
    let pages = 0;
    const started = performance.now();
    await backupApp(
      { appId, adminToken, apiURI: url },
      {
        out: join(dir, 'big-backup.zip'),
        pageSize: 1000,
        onProgress: () => {
          if (++pages % 25 !== 0) return;
          gc();
          samples.push(process.memoryUsage().heapUsed);
        },
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const half = Math.floor(samples.length / 2);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const ratio = mean(samples.slice(half)) / mean(samples.slice(0, half));
    const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
    report(
      'heap while backing up, second half / first half',
      ratio,
      '<= 1.1x',
      ratio <= 1.1,
      `${HEAP_ENTITIES.toLocaleString('en')} entities in ${seconds.toFixed(0)} s, ${samples.length} samples, first half ${mb(mean(samples.slice(0, half)))}, second ${mb(mean(samples.slice(half)))}`,
    );
  } finally {
    child.kill('SIGTERM');
  }
}

try {
  console.log(`backup benchmarks on node ${process.version}`);
  await ratios();
  await heapFlat();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
