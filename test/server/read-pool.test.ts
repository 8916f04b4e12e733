import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/server/api/api-error.ts';
import type { JsonText } from '../../src/server/http/json-text.ts';
import { ReadPool } from '../../src/server/workers/read-pool.ts';

const STUB = new URL('./fixtures/stub-read-worker.ts', import.meta.url);
const CONFIG = { dbPath: 'unused', appId: 'a', adminToken: 't', url: 'http://x', rules: {}, timeoutMs: 50 };

const request = (body: Record<string, unknown>) => ({
  method: 'POST',
  path: '/admin/query',
  query: new URLSearchParams(),
  headers: {},
  body,
});
const parse = (answer: JsonText) => JSON.parse(answer.text) as { n: number };

/** Whether users other than the owner may traverse to `path` and read it (o+x on every folder, o+r on it). */
function reachableByOthers(path: string): boolean {
  const checkout = new URL('../..', import.meta.url).pathname;
  const folders = (start: string): string[] => (start === '/' ? [] : [start, ...folders(dirname(start))]);
  return (
    [...folders(dirname(path)), ...folders(checkout)].every((folder) => (statSync(folder).mode & 0o001) !== 0) &&
    (statSync(path).mode & 0o004) !== 0
  );
}

describe('the read pool', () => {
  // Only root can run a process as another user, and that user must be able to reach this checkout (a
  // clone in a private temporary folder, as CI makes, cannot be); the check is what an ordinary
  // deployment meets.
  it.runIf(process.platform === 'linux' && process.getuid?.() === 0 && reachableByOthers(process.execPath))(
    'without the privilege to restore a niceness, one worker is replaced and long jobs are not demoted again',
    () => {
      const script = new URL('./fixtures/unprivileged-pool.ts', import.meta.url).pathname;
      const run = spawnSync(process.execPath, [script], { uid: 65534, gid: 65534, cwd: '/tmp', encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const [short, long, afterLong, secondLong, last] = JSON.parse(run.stdout) as { tid: number; nice: number }[];
      expect(long!.nice).toBe(10); // demoted while it ran
      expect(afterLong!.tid).not.toBe(short!.tid); // could not be put back: replaced
      expect([afterLong!.nice, secondLong!.nice, last!.nice]).toEqual([0, 0, 0]); // never demoted again
      expect(last!.tid).toBe(afterLong!.tid); // and not replaced again
    },
  );

  it.runIf(process.platform === 'linux')(
    "lowers a long job's thread to niceness 10 so short queries keep the CPU, and runs the next job at 0",
    async () => {
      const pool = new ReadPool({ ...CONFIG, timeoutMs: 5_000 }, { size: 1, entry: STUB, demoteAfterMs: 30 });
      try {
        const niceOf = async (body: Record<string, unknown>) =>
          JSON.parse((await pool.run(request(body))).text) as { nice: number; tid: number };
        const short = await niceOf({ n: 1 });
        expect(short.nice).toBe(0);
        expect((await niceOf({ n: 2, busyMs: 200 })).nice).toBe(10);
        const next = await niceOf({ n: 3 });
        // put back at 0 (as root, or with RLIMIT_NICE), else a fresh worker took over
        expect(next.nice).toBe(0);
        if (process.getuid?.() === 0) expect(next.tid).toBe(short.tid);
      } finally {
        await pool.close();
      }
    },
  );

  it('answers through its workers, and a stuck one is terminated past budget + grace, answered 429 and replaced', async () => {
    const pool = new ReadPool(CONFIG, { size: 1, graceMs: 50, entry: STUB });
    try {
      expect(parse(await pool.run(request({ n: 1 })))).toMatchObject({ n: 1 });
      const started = performance.now();
      const stuck = await pool.run(request({ hang: true })).catch((error: unknown) => error);
      expect(stuck).toBeInstanceOf(ApiError);
      expect(stuck).toMatchObject({ status: 429, type: 'timeout' });
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(parse(await pool.run(request({ n: 2 })))).toMatchObject({ n: 2 });
    } finally {
      await pool.close();
    }
  });

  it('a request queued behind a stuck worker goes to the replacement', async () => {
    const pool = new ReadPool(CONFIG, { size: 1, graceMs: 50, entry: STUB });
    try {
      const stuck = pool.run(request({ hang: true })).catch((error: unknown) => error);
      const next = pool.run(request({ n: 3 }));
      expect(await stuck).toMatchObject({ status: 429 });
      expect(parse(await next)).toMatchObject({ n: 3 });
    } finally {
      await pool.close();
    }
  });

  it('a worker that crashes or exits fails its request as a server error (not an ApiError), and is replaced', async () => {
    const pool = new ReadPool(CONFIG, { size: 1, graceMs: 5_000, entry: STUB });
    try {
      for (const body of [{ crash: true }, { exit: true }]) {
        const failure = await pool.run(request(body)).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(Error);
        expect(failure).not.toBeInstanceOf(ApiError);
        expect(parse(await pool.run(request({ n: 4 })))).toMatchObject({ n: 4 });
      }
    } finally {
      await pool.close();
    }
  });

  it('close() stops a stuck worker at once and fails what waits', async () => {
    const pool = new ReadPool(CONFIG, { size: 1, graceMs: 60_000, entry: STUB });
    await pool.run(request({ n: 5 }));
    const stuck = pool.run(request({ hang: true })).catch((error: unknown) => error);
    const waiting = pool.run(request({ n: 6 })).catch((error: unknown) => error);
    const started = performance.now();
    await pool.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await stuck).toMatchObject({ status: 503 });
    expect(await waiting).toMatchObject({ status: 503 });
    await expect(pool.run(request({ n: 7 }))).rejects.toMatchObject({ status: 503 });
  });
});
