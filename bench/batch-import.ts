import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { init as officialInit, tx as officialTx } from '@instantdb/admin';
import { init } from '../src/index.ts';
import { startLocalServer } from '../src/server/index.ts';
import { report } from './harness.ts';

const ENTITIES = 100_000;
const NAIVE_SAMPLE = 5_000;

/**
 * A 100k-entity import (update + link per entity) through the batch engine vs a naive loop of one
 * `transact` per entity with `@instantdb/admin`, against the same local server. The naive loop is
 * timed on its first 5,000 entities (the whole 100k would take minutes) and compared by rate.
 */
export async function benchBatchImport(): Promise<void> {
  const server = await startLocalServer();
  try {
    const groups = Array.from({ length: 100 }, () => crypto.randomUUID());
    const db = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
    const official = officialInit({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
    const naiveStart = performance.now();
    for (let n = 0; n < NAIVE_SAMPLE; n++) {
      const id = crypto.randomUUID();
      await official.transact(officialTx.naive[id]!.update({ n, name: `item ${n}` }).link({ group: groups[n % 100]! }));
    }
    const naiveRate = NAIVE_SAMPLE / ((performance.now() - naiveStart) / 1000);
    const oursStart = performance.now();
    function* chunks() {
      for (let n = 0; n < ENTITIES; n++)
        yield db.tx.items[crypto.randomUUID()]!.update({ n, name: `item ${n}` }).link({ group: groups[n % 100]! });
    }
    const result = await db.transactBatches(chunks(), { maxSteps: 500, concurrency: 4 });
    if (result.failed.length > 0 || result.committed !== ENTITIES * 2) throw new Error('import failed');
    const oursRate = ENTITIES / ((performance.now() - oursStart) / 1000);
    report(
      '100k-entity import, batch engine / naive @instantdb/admin loop (entities/s)',
      oursRate / naiveRate,
      '>= 5x',
      oursRate / naiveRate >= 5,
      `${Math.round(oursRate)} vs ${Math.round(naiveRate)} entities/s (naive timed on ${NAIVE_SAMPLE})`,
    );
  } finally {
    await server.close();
  }
}

/** Heap while streaming 1,000,000 steps from a generator through the engine to a no-op server. */
export async function benchStreamingMemory(): Promise<void> {
  const STEPS = 1_000_000;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"tx-id":1}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const db = init({
      appId: crypto.randomUUID(),
      adminToken: crypto.randomUUID(),
      apiURI: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
    function* steps() {
      for (let n = 0; n < STEPS; n++) yield ['update', 'items', crypto.randomUUID(), { n, name: `item ${n}` }] as const;
    }
    const samples: number[] = [];
    let unforcedPeak = 0;
    const result = await db.transactBatches(steps(), {
      maxSteps: 500,
      // The live heap, after a full collection: what the engine retains. (heapUsed without one measures
      // when V8 chose to collect, which moves with how much garbage a batch makes, not with a leak.)
      onProgress: ({ batchesDone }) => {
        if (batchesDone % 100 !== 0) return;
        unforcedPeak = Math.max(unforcedPeak, process.memoryUsage().heapUsed);
        (globalThis as { gc?: () => void }).gc?.();
        samples.push(process.memoryUsage().heapUsed);
      },
    });
    if (result.committed !== STEPS) throw new Error('streaming failed');
    const half = Math.floor(samples.length / 2);
    const early = Math.max(...samples.slice(1, half));
    const late = Math.max(...samples.slice(half));
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    report(
      'live heap after GC, second half / first half of streaming 1M steps',
      late / early,
      'flat (≈ 1x)',
      late / early < 1.5,
      `${mb(early)} MB vs ${mb(late)} MB at most; ${samples.length} samples, one per 100 batches; heapUsed before collections peaked at ${mb(unforcedPeak)} MB`,
    );
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
