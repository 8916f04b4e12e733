import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';
import { startFaultProxy } from './fault-proxy.ts';

const ENTITIES = 20_000;
const GROUPS = 50;
const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** The intended data: entity i has n = i, a name, and a link to group i % 50. */
function dataset() {
  const groups = Array.from({ length: GROUPS }, () => crypto.randomUUID());
  const items = Array.from({ length: ENTITIES }, (_, n) => ({
    id: crypto.randomUUID(),
    n,
    group: groups[n % GROUPS]!,
  }));
  return { groups, items };
}

/** Batches a checkpoint file records as committed: its `<index> <sha256>` lines ended by a newline (not the header). */
function recordedBatches(path: string): number {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => /^\d+ [0-9a-f]{64}$/.test(line)).length;
}

/**
 * Runs the CLI and kills it with SIGKILL once its checkpoint records `batches` batches. The CLI retries
 * a request 3 times, so at this fault rate a batch can still fail and stop a run (exit 3) first: that
 * run is re-run with its checkpoint, as a user would, before the kill.
 */
async function runAndKill(args: string[], env: NodeJS.ProcessEnv, checkpoint: string, batches: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const poll = setInterval(() => (recordedBatches(checkpoint) >= batches ? child.kill('SIGKILL') : undefined), 20);
    const code = await exited;
    clearInterval(poll);
    if (child.signalCode === 'SIGKILL') return;
    expect(code, stderr).toBe(3);
    expect(attempt, `still no ${batches} batches recorded after ${attempt} runs: ${stderr}`).toBeLessThan(5);
  }
}

async function expectExactly(server: LocalServer, data: ReturnType<typeof dataset>) {
  const db = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
  const { items } = (await db.query({ items: { group: {} } })) as unknown as {
    items: { id: string; n: number; name: string; group: { id: string }[] }[];
  };
  expect(items).toHaveLength(ENTITIES);
  expect(new Set(items.map((item) => item.id)).size).toBe(ENTITIES);
  const byId = new Map(items.map((item) => [item.id, item]));
  let wrong = 0;
  for (const want of data.items) {
    const got = byId.get(want.id);
    if (
      !got ||
      got.n !== want.n ||
      got.name !== `item ${want.n}` ||
      got.group.length !== 1 ||
      got.group[0]!.id !== want.group
    )
      wrong++;
  }
  expect(wrong).toBe(0);
}

describe('a 20,000-entity import through a proxy injecting faults into ≥ 20% of requests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'instant-tx-import-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ends with exactly the intended data: 0 lost, 0 duplicated, and a report that matches', async () => {
    const server = await startLocalServer();
    const proxy = await startFaultProxy(server.url, 0.3, 42, 900);
    try {
      const data = dataset();
      const db = init({
        appId: server.appId,
        adminToken: server.adminToken,
        apiURI: proxy.url,
        timeout: 400,
        retry: { limit: 12, transact: 'idempotent', totalTimeout: 120_000, maxRetryAfter: 1_000 },
      });
      const chunks = data.items.map((item) =>
        db.tx.items[item.id]!.update({ n: item.n, name: `item ${item.n}` }).link({ group: item.group }),
      );
      const report = await db.transactBatches(chunks, { maxSteps: 500, concurrency: 4 });
      const requests = Object.values(proxy.counts).reduce((a, b) => a + b, 0);
      const faults = requests - proxy.counts.none;
      expect(faults / requests).toBeGreaterThanOrEqual(0.2);
      for (const kind of [
        '500-before',
        '500-after',
        '429',
        '429-hint',
        'reset-before',
        'reset-after',
        'slow-after',
      ] as const)
        expect(proxy.counts[kind]).toBeGreaterThan(0);
      expect(report.failed).toEqual([]);
      expect(report.committed).toBe(ENTITIES * 2);
      expect(report.batches.every((batch) => batch.status === 'committed' && batch.txIds.length >= 1)).toBe(true);
      await expectExactly(server, data);
    } finally {
      await proxy.close();
      await server.close();
    }
  }, 180_000);

  it('with the CLI killed half-way and re-run with its checkpoint, still exact', async () => {
    const server = await startLocalServer();
    const proxy = await startFaultProxy(server.url, 0.25, 7, 900);
    try {
      const data = dataset();
      const file = join(dir, 'items.jsonl');
      const checkpoint = join(dir, 'items.ckpt');
      writeFileSync(
        file,
        `${data.items
          .map((item) =>
            JSON.stringify([
              ['update', 'items', item.id, { n: item.n, name: `item ${item.n}` }],
              ['link', 'items', item.id, { group: item.group }],
            ]),
          )
          .join('\n')}\n`,
      );
      const args = [cli, 'transact', file, '--checkpoint', checkpoint, '--idempotent', '--concurrency', '2'];
      const env = {
        ...process.env,
        INSTANT_APP_ID: server.appId,
        INSTANT_ADMIN_TOKEN: server.adminToken,
        INSTANT_API_URI: proxy.url,
      };
      await runAndKill(args, env, checkpoint, 20);
      const recorded = recordedBatches(checkpoint);
      expect(recorded).toBeGreaterThanOrEqual(20);
      expect(recorded).toBeLessThan(80);

      const second = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      second.stdout.on('data', (chunk) => (out += chunk));
      const code = await new Promise((resolve) => second.once('exit', resolve));
      expect(code).toBe(0);
      const summary = JSON.parse(out) as { committedSteps: number; skippedSteps: number; failedBatches: unknown[] };
      expect(summary.failedBatches).toEqual([]);
      expect(summary.skippedSteps).toBeGreaterThanOrEqual(recorded * 500);
      expect(summary.committedSteps + summary.skippedSteps).toBe(ENTITIES * 2);
      expect(recordedBatches(checkpoint)).toBe((ENTITIES * 2) / 500);
      await expectExactly(server, data);
    } finally {
      await proxy.close();
      await server.close();
    }
  }, 180_000);
});
