import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstantAPIError, InstantValidationError, transactBatches, tx } from '../../src/index.ts';
import { makeBatches } from '../../src/client/batch/make-batches.ts';
import { recorder } from './recorder.ts';

const uuid = () => crypto.randomUUID();
const chunk = (n: number) => tx.goals[uuid()]!.update({ n }).link({ todos: uuid() });

/** The batch indices a checkpoint file records (its lines after the header). */
const recorded = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => Number(line.split(' ')[0]));

const apiError = (type: string, status = 400) =>
  new InstantAPIError({
    status,
    type,
    message: type,
    hint: null,
    traceId: undefined,
    body: {},
    method: 'POST',
    path: '/admin/transact',
  });

describe('transactBatches', () => {
  it('cuts by step count and by bytes, never splitting a chunk, and keeps the order', async () => {
    const fake = recorder();
    const chunks = Array.from({ length: 10 }, (_, n) => chunk(n));
    const report = await transactBatches(fake.send, chunks, { maxSteps: 5, ordered: true }, undefined);
    expect(fake.sent.map((steps) => steps.length)).toEqual([4, 4, 4, 4, 4]);
    expect(
      fake.sent
        .flat()
        .filter((step) => step[0] === 'update')
        .map((step) => (step[3] as { n: number }).n),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(report).toMatchObject({ committed: 20, skipped: 0, failed: [], stopped: false });
    expect(report.batches.map((b) => [b.from, b.to, b.txIds.length])).toEqual([
      [0, 4, 1],
      [4, 8, 1],
      [8, 12, 1],
      [12, 16, 1],
      [16, 20, 1],
    ]);
    const bySize = recorder();
    const bytes = JSON.stringify(chunks[0]).length;
    await transactBatches(bySize.send, chunks, { maxBytes: bytes * 3 }, undefined);
    expect(bySize.sent.every((steps) => JSON.stringify(steps).length <= bytes * 3 + 10)).toBe(true);
    expect(bySize.sent.every((steps) => steps.length % 2 === 0)).toBe(true);
  });

  it('rejects a chunk larger than a batch, naming it, before sending anything', async () => {
    const fake = recorder();
    let big = tx.goals[uuid()]!;
    for (let n = 0; n < 6; n++) big = big.update({ n });
    await expect(transactBatches(fake.send, [chunk(0), big], { maxSteps: 5 }, undefined)).rejects.toThrow(
      InstantValidationError,
    );
    await expect(transactBatches(fake.send, [chunk(0), big], { maxSteps: 5 }, undefined)).rejects.toThrow(
      /source\[1\]: one chunk of 6 steps/,
    );
  });

  it('refuses numbers that would lift a limit or start no worker, all at once, before reading the source', async () => {
    const fake = recorder();
    let read = false;
    const source = (function* () {
      read = true;
      yield chunk(0);
    })();
    const options = { maxSteps: Number.NaN, maxBytes: -1, concurrency: 0, stepsTotal: 1.5 };
    const error = await transactBatches(fake.send, source, options, undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstantValidationError);
    expect((error as InstantValidationError).issues.map((issue) => issue.path)).toEqual([
      'transactBatches(options).maxSteps',
      'transactBatches(options).maxBytes',
      'transactBatches(options).concurrency',
      'transactBatches(options).stepsTotal',
    ]);
    expect((error as Error).message).toMatch(/maxSteps: expected a whole number from 1 to 100000, got NaN/);
    expect(read).toBe(false);
    expect(fake.max()).toBe(0);
  });

  it('bounds concurrency; ordered sends one at a time', async () => {
    const fake = recorder(undefined, 10);
    await transactBatches(
      fake.send,
      Array.from({ length: 40 }, (_, n) => chunk(n)),
      { maxSteps: 2, concurrency: 3 },
      undefined,
    );
    expect(fake.max()).toBe(3);
    const ordered = recorder(undefined, 5);
    await transactBatches(
      ordered.send,
      Array.from({ length: 10 }, (_, n) => chunk(n)),
      { maxSteps: 2, ordered: true, concurrency: 8 },
      undefined,
    );
    expect(ordered.max()).toBe(1);
  });

  it('reports a failed batch and, with stopOnError, starts no later batch', async () => {
    const fake = recorder((_steps, call) => (call === 2 ? apiError('validation-failed') : undefined));
    const report = await transactBatches(
      fake.send,
      Array.from({ length: 10 }, (_, n) => chunk(n)),
      { maxSteps: 2, ordered: true },
      undefined,
    );
    expect(report.failed.map((b) => b.index)).toEqual([2]);
    expect(report.failed[0]!.error).toBeInstanceOf(InstantAPIError);
    expect(report.batches.map((b) => b.status)).toEqual(['committed', 'committed', 'failed']);
    expect(report.stopped).toBe(true);
    const goOn = recorder((_steps, call) => (call === 2 ? apiError('validation-failed') : undefined));
    const all = await transactBatches(
      goOn.send,
      Array.from({ length: 10 }, (_, n) => chunk(n)),
      { maxSteps: 2, ordered: true, stopOnError: false },
      undefined,
    );
    expect(all.batches.map((b) => b.status)).toEqual([
      'committed',
      'committed',
      'failed',
      ...Array(7).fill('committed'),
    ]);
    expect(all.committed).toBe(18);
  });

  it('halves a batch between chunks when the server says parameter-limit-exceeded', async () => {
    const fake = recorder((steps) => (steps.length > 4 ? apiError('parameter-limit-exceeded') : undefined));
    const report = await transactBatches(
      fake.send,
      Array.from({ length: 8 }, (_, n) => chunk(n)),
      { maxSteps: 16 },
      undefined,
    );
    expect(fake.sent.map((steps) => steps.length)).toEqual([4, 4, 4, 4]);
    expect(report.batches[0]!.txIds).toHaveLength(4);
    expect(report.committed).toBe(16);
  });

  it('skips batches a checkpoint file recorded, and records new ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    try {
      const path = join(dir, 'import.ckpt');
      const chunks = Array.from({ length: 6 }, (_, n) => chunk(n));
      const first = recorder((_steps, call) => (call === 1 ? apiError('unknown', 500) : undefined));
      const r1 = await transactBatches(first.send, chunks, { maxSteps: 2, ordered: true, checkpoint: path }, undefined);
      expect(r1.batches.map((b) => b.status)).toEqual(['committed', 'failed']);
      expect(recorded(path)).toEqual([0]);
      const second = recorder();
      const r2 = await transactBatches(
        second.send,
        chunks,
        { maxSteps: 2, ordered: true, checkpoint: path },
        undefined,
      );
      expect(r2.batches.map((b) => b.status)).toEqual(['skipped', ...Array(5).fill('committed')]);
      expect(second.sent).toHaveLength(5);
      expect(r2).toMatchObject({ committed: 10, skipped: 2 });
      expect(recorded(path)).toEqual([0, 1, 2, 3, 4, 5]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads an async source lazily and reports progress', async () => {
    let produced = 0;
    let maxAhead = 0;
    const fake = recorder();
    async function* source() {
      for (let n = 0; n < 2_000; n++) {
        produced++;
        maxAhead = Math.max(maxAhead, produced - fake.sent.flat().length);
        yield ['update', 'goals', uuid(), { n }] as const;
      }
    }
    const progress: number[] = [];
    const report = await transactBatches(
      fake.send,
      source(),
      { maxSteps: 100, concurrency: 2, stepsTotal: 2_000, onProgress: (p) => progress.push(p.stepsDone) },
      undefined,
    );
    expect(report.committed).toBe(2_000);
    expect(progress.at(-1)).toBe(2_000);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(maxAhead).toBeLessThanOrEqual(100 * 3);
  });
});

describe('single wire steps in a batch source', () => {
  it('are checked like db.transact checks them: NUL, depth and non-JSON numbers never reach a batch', async () => {
    let deep: unknown = 1;
    for (let level = 0; level < 10_000; level++) deep = { a: deep };
    const bad = [
      ['update', 'goals', crypto.randomUUID(), { title: 'a\u0000b' }],
      ['update', 'goals', crypto.randomUUID(), { n: Infinity }],
      ['update', 'goals', crypto.randomUUID(), { deep }],
    ];
    for (const step of bad) {
      const batches = makeBatches([step], { maxSteps: 10, maxBytes: 1e6 }, undefined);
      await expect(batches.next()).rejects.toBeInstanceOf(InstantValidationError);
    }
  });
});
