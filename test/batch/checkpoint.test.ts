import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  InstantAPIError,
  InstantCheckpointError,
  transactBatches,
  type BatchOptions,
  type Checkpoint,
  type Step,
} from '../../src/index.ts';
import { recorder } from './recorder.ts';

const HEADER = '# instant-tx checkpoint v2: <batch index> <sha256 of its steps as JSON>';
const dir = mkdtempSync(join(tmpdir(), 'instant-tx-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newPath = () => join(dir, `run-${files++}.ckpt`);

/** `count` update steps on fixed ids, so a second run can be given the very same input. */
function input(count: number): Step[] {
  return Array.from(
    { length: count },
    (_, n) => ['update', 'goals', `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, { n }] as Step,
  );
}
const numbers = (sent: Step[][]) => sent.map((steps) => steps.map((step) => (step[3] as { n: number }).n));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, n) => from + n);
const lines = (path: string) => readFileSync(path, 'utf8').split('\n');
const apiError = () =>
  new InstantAPIError({
    status: 500,
    type: 'unknown',
    message: 'boom',
    hint: null,
    traceId: undefined,
    body: {},
    method: 'POST',
    path: '/admin/transact',
  });

/** Runs the engine on `steps` with a fresh fake server; returns what it sent and the report (or the error). */
async function run(steps: Step[], options: BatchOptions, fail?: (steps: Step[]) => boolean) {
  const fake = recorder(fail ? (sent) => (fail(sent) ? apiError() : undefined) : undefined, 1);
  try {
    return {
      sent: fake.sent,
      report: await transactBatches(fake.send, steps, options, undefined),
      error: undefined,
      inFlight: fake.inFlight(),
    };
  } catch (error) {
    return { sent: fake.sent, report: undefined, error: error as Error, inFlight: fake.inFlight() };
  }
}

function expectRefused(result: Awaited<ReturnType<typeof run>>, path: string, batchIndex: number | undefined) {
  expect(result.error).toBeInstanceOf(InstantCheckpointError);
  expect(result.error!.name).toBe('InstantCheckpointError');
  expect((result.error as InstantCheckpointError).batchIndex).toBe(batchIndex);
  expect(result.error!.message).toContain(`checkpoint ${path} `);
  expect(result.error!.message).toMatch(/delete it or use a new path$/);
  expect(result.error!.message).not.toContain('\n');
}

describe('a checkpoint vouches only for the batches it recorded', () => {
  it('records each committed batch with the SHA-256 of its steps, and a re-run with the same input and options skips exactly those', async () => {
    const path = newPath();
    const steps = input(40);
    const first = await run(steps, { maxSteps: 4, concurrency: 3, stopOnError: false, checkpoint: path }, (sent) =>
      [8, 20].includes((sent[0]![3] as { n: number }).n),
    );
    expect(first.report!.failed.map((batch) => batch.index)).toEqual([2, 5]);
    const [header, ...entries] = lines(path);
    expect(header).toBe(HEADER);
    expect(entries.pop()).toBe('');
    expect(entries.map((line) => Number(line.split(' ')[0])).sort((a, b) => a - b)).toEqual([0, 1, 3, 4, 6, 7, 8, 9]);
    const digestOf3 = createHash('sha256')
      .update(JSON.stringify(steps.slice(12, 16)))
      .digest('hex');
    expect(entries).toContain(`3 ${digestOf3}`);

    const second = await run(steps, { maxSteps: 4, concurrency: 3, checkpoint: path });
    expect(numbers(second.sent).sort((a, b) => a[0]! - b[0]!)).toEqual([range(8, 12), range(20, 24)]);
    expect(second.report).toMatchObject({ committed: 8, skipped: 32, failed: [], stopped: false });
    expect(lines(path).filter(Boolean)).toHaveLength(11);
  });

  it('refuses a checkpoint written with another maxSteps (the issue: 30 then 300) and sends nothing', async () => {
    const path = newPath();
    const steps = input(60);
    // The first run stops after three batches of 3 steps: 9 of 60 steps were sent.
    const first = await run(
      steps,
      { maxSteps: 3, ordered: true, checkpoint: path },
      (sent) => (sent[0]![3] as { n: number }).n === 9,
    );
    expect(first.report!.committed).toBe(9);
    const before = readFileSync(path, 'utf8');
    // Before: batches 0 and 1 of 30 steps were "skipped" (60 steps) though only 9 were ever sent.
    const wider = await run(steps, { maxSteps: 30, checkpoint: path });
    expectRefused(wider, path, 0);
    expect(wider.error!.message).toContain('belongs to other input or other options: batch 0 differs');
    expect(wider.sent).toEqual([]);
    const narrower = await run(steps, { maxSteps: 2, checkpoint: path });
    expectRefused(narrower, path, 0);
    expect(narrower.sent).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('refuses when maxBytes moves the cuts, but not when another maxSteps moves none', async () => {
    const path = newPath();
    const steps = input(12);
    await run(steps, { maxSteps: 4, checkpoint: path });
    const bytes = run(steps, { maxBytes: JSON.stringify(steps.slice(0, 3)).length + 3, checkpoint: path });
    expectRefused(await bytes, path, 0);
    expect((await bytes).sent).toEqual([]);
    // 4 steps per batch either way: every batch is the batch that was committed.
    const same = await run(steps, {
      maxSteps: 5,
      maxBytes: JSON.stringify(steps.slice(0, 4)).length + 4,
      checkpoint: path,
    });
    expect(same.report).toMatchObject({ committed: 0, skipped: 12 });
  });

  it('refuses when the input changed, naming the first batch that differs; no later batch starts', async () => {
    const path = newPath();
    const steps = input(40);
    await run(steps, { maxSteps: 4, checkpoint: path });
    const changed = steps.map((step, n) =>
      n === 13 ? (['update', 'goals', step[2], { n: 13, extra: true }] as Step) : step,
    );
    const result = await run(changed, { maxSteps: 4, concurrency: 4, checkpoint: path });
    expectRefused(result, path, 3);
    expect(result.sent).toEqual([]);
  });

  it('in a stream, sends a batch the checkpoint never recorded before the first that differs; nothing after it, and none left in flight', async () => {
    const path = newPath();
    const steps = input(40);
    await run(
      steps,
      { maxSteps: 4, stopOnError: false, checkpoint: path },
      (sent) => (sent[0]![3] as { n: number }).n === 0,
    );
    const changed = steps.map((step, n) =>
      n === 21 ? (['update', 'goals', step[2], { n: 21, extra: true }] as Step) : step,
    );
    const result = await run(changed, { maxSteps: 4, concurrency: 4, checkpoint: path });
    expectRefused(result, path, 5);
    expect(numbers(result.sent)).toEqual([range(0, 4)]);
    expect(result.inFlight).toBe(0);
  });

  it('appended input: when every recorded batch matches, sends just the new ones; a changed last batch is refused', async () => {
    const path = newPath();
    await run(input(40), { maxSteps: 4, checkpoint: path });
    const appended = await run(input(48), { maxSteps: 4, checkpoint: path });
    expect(numbers(appended.sent).sort((a, b) => a[0]! - b[0]!)).toEqual([range(40, 44), range(44, 48)]);
    expect(appended.report).toMatchObject({ committed: 8, skipped: 40 });
    const partial = newPath();
    await run(input(42), { maxSteps: 4, checkpoint: partial });
    // Batch 10 was steps 40–41; now it is 40–43: skipping it would skip two steps never sent.
    const grown = await run(input(48), { maxSteps: 4, checkpoint: partial });
    expectRefused(grown, partial, 10);
    expect(grown.sent).toEqual([]);
  });

  it('refuses a file that is not a checkpoint, or one of the earlier digest-less format, before sending anything', async () => {
    const digest = 'a'.repeat(64);
    const cases: [string, string][] = [
      [
        'Lorem ipsum dolor sit amet\nconsectetur\n',
        'is not an instant-tx checkpoint this version can trust (line 1 reads "Lorem ipsum dolor sit amet")',
      ],
      ['random bytes without a newline', 'line 1 reads "random bytes without a newline"'],
      ['0\n1\n2\n', 'was written by an earlier instant-tx (bare batch indices, no digests)'],
      [`${HEADER}\n0 ${digest}\nnot an entry\n1 ${digest}\n`, 'line 3 reads "not an entry"'],
      [`${HEADER}\n0 ${digest.toUpperCase()}\n`, 'line 2 reads'],
      [`${HEADER}\n0 ${digest}\n0 ${'b'.repeat(64)}\n`, 'line 3 reads'],
      [`${HEADER}\n0 ${digest}\n1 xyz`, 'line 3 reads "1 xyz"'],
    ];
    for (const [content, message] of cases) {
      const path = newPath();
      writeFileSync(path, content);
      const result = await run(input(8), { maxSteps: 4, checkpoint: path });
      expectRefused(result, path, undefined);
      expect(result.error!.message).toContain(message);
      expect(result.sent).toEqual([]);
      expect(readFileSync(path, 'utf8')).toBe(content);
    }
    const folder = newPath();
    mkdirSync(folder);
    expect((await run(input(8), { checkpoint: folder })).error!.message).toContain(
      `checkpoint ${folder} could not be read (EISDIR)`,
    );
  });

  it('an empty file, or a header cut off by a crash, records nothing: everything is sent and the file gets its header', async () => {
    for (const content of ['', HEADER.slice(0, 17)]) {
      const path = newPath();
      writeFileSync(path, content);
      const result = await run(input(8), { maxSteps: 4, checkpoint: path });
      expect(result.report).toMatchObject({ committed: 8, skipped: 0 });
      expect(lines(path)[0]).toBe(HEADER);
      expect(lines(path).filter(Boolean)).toHaveLength(3);
    }
  });

  it('ignores a last line cut off by kill -9 (it was never acknowledged), sends that batch again and repairs the file', async () => {
    const path = newPath();
    const steps = input(40);
    await run(steps, { maxSteps: 4, ordered: true, checkpoint: path });
    const whole = readFileSync(path, 'utf8');
    const torn = whole.slice(0, whole.length - 30);
    writeFileSync(path, torn);
    const result = await run(steps, { maxSteps: 4, checkpoint: path });
    expect(numbers(result.sent)).toEqual([range(36, 40)]);
    expect(result.report).toMatchObject({ committed: 4, skipped: 36 });
    expect(readFileSync(path, 'utf8')).toBe(whole);
  });

  it('a custom {has, add} checkpoint is given each batch digest, and its refusal stops the run', async () => {
    const seen = new Map<number, string>();
    const checkpoint: Checkpoint = {
      has: (index, digest) => {
        const recorded = seen.get(index);
        if (recorded !== undefined && recorded !== digest) throw new InstantCheckpointError('memory', index);
        return recorded !== undefined;
      },
      add: (index, digest) => void seen.set(index, digest),
    };
    const steps = input(12);
    await run(steps, { maxSteps: 4, checkpoint });
    expect([0, 1, 2].map((index) => seen.get(index))).toEqual(
      [0, 4, 8].map((from) =>
        createHash('sha256')
          .update(JSON.stringify(steps.slice(from, from + 4)))
          .digest('hex'),
      ),
    );
    expect((await run(steps, { maxSteps: 4, checkpoint })).report).toMatchObject({ committed: 0, skipped: 12 });
    const refused = await run(steps, { maxSteps: 6, checkpoint });
    expectRefused(refused, 'memory', 0);
    expect(refused.sent).toEqual([]);
    // One written for the earlier `has(index)`/`add(index)` still compiles and runs (vouching by index only).
    const indices = new Set<number>();
    const legacy: Checkpoint = { has: (index) => indices.has(index), add: (index) => void indices.add(index) };
    await run(steps, { maxSteps: 4, checkpoint: legacy });
    expect((await run(steps, { maxSteps: 4, checkpoint: legacy })).report).toMatchObject({ skipped: 12 });
  });
});
