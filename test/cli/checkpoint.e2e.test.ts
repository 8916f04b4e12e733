import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, type Step } from '../../src/index.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';

const bin = new URL('../../dist/cli/main.js', import.meta.url).pathname;

describe('instant-tx transact --checkpoint refuses a checkpoint of other input or options', () => {
  let server: LocalServer;
  const dir = mkdtempSync(join(tmpdir(), 'instant-tx-cli-ckpt-'));
  const run = (args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, 'transact', ...args], {
        env: {
          ...process.env,
          INSTANT_APP_ID: server.appId,
          INSTANT_ADMIN_TOKEN: server.adminToken,
          INSTANT_API_URI: server.url,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.stdin.end(stdin);
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  const db = () => init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
  /** `n` of every entity in `namespace`, by id. */
  const values = async (namespace: string) => {
    const result = (await db().query({ [namespace]: {} })) as unknown as Record<string, { id: string; n: number }[]>;
    return new Map(result[namespace]!.map((row) => [row.id, row.n]));
  };
  /** A JSON Lines file of `count` updates on fresh ids (`n` = line number) in `namespace`. */
  const writeSteps = (namespace: string, count: number) => {
    const ids = Array.from({ length: count }, () => crypto.randomUUID());
    const lines = ids.map((id, n) => JSON.stringify(['update', namespace, id, { n }]));
    const file = join(dir, `${namespace}.jsonl`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return { ids, lines, file };
  };
  /** Overwrites every entity's `n` with -1, so any step a later run sends shows in the data. */
  const overwrite = (namespace: string, ids: string[]) =>
    db().transact(ids.map((id): Step => ['update', namespace, id, { n: -1 }]));

  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--max-steps 30, then --max-steps 300 with the same checkpoint: exit 2, one line on stderr, nothing sent; --max-steps 30 again resumes', async () => {
    const { ids, file } = writeSteps('ckpt_steps', 600);
    const checkpoint = join(dir, 'steps.ckpt');
    const first = await run([file, '--max-steps', '30', '--checkpoint', checkpoint]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      committedSteps: 600,
      skippedSteps: 0,
      batches: 20,
      failedBatches: [],
    });
    await overwrite('ckpt_steps', ids);
    const recorded = readFileSync(checkpoint, 'utf8');

    const wider = await run([file, '--max-steps', '300', '--checkpoint', checkpoint]);
    expect(wider.code).toBe(2);
    expect(wider.stdout).toBe('');
    expect(wider.stderr.trimEnd().split('\n')).toEqual([
      `instant-tx: checkpoint ${checkpoint} belongs to other input or other options: batch 0 differs from the batch it recorded as committed; delete it or use a new path`,
    ]);
    expect([...(await values('ckpt_steps')).values()].every((n) => n === -1)).toBe(true);
    expect(readFileSync(checkpoint, 'utf8')).toBe(recorded);

    const again = await run([file, '--max-steps', '30', '--checkpoint', checkpoint]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ committedSteps: 0, skippedSteps: 600, batches: 20 });
    expect([...(await values('ckpt_steps')).values()].every((n) => n === -1)).toBe(true);
  });

  it('the same checkpoint with changed input on stdin: exit 2 naming the first batch that differs, nothing sent', async () => {
    const { ids, lines, file } = writeSteps('ckpt_input', 300);
    const checkpoint = join(dir, 'input.ckpt');
    const first = await run([file, '--max-steps', '30', '--checkpoint', checkpoint]);
    expect(first.code, first.stderr).toBe(0);
    await overwrite('ckpt_input', ids);
    const edited = lines.map((line, n) =>
      n === 100 ? JSON.stringify(['update', 'ckpt_input', ids[n], { n: 1_000 }]) : line,
    );
    const changed = await run(['-', '--max-steps', '30', '--checkpoint', checkpoint], `${edited.join('\n')}\n`);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(
      /^instant-tx: checkpoint \S+input\.ckpt belongs to other input or other options: batch 3 differs/,
    );
    expect([...(await values('ckpt_input')).values()].every((n) => n === -1)).toBe(true);
  });

  it('a file that is not a checkpoint (here: the input itself) is refused with exit 2 and left untouched', async () => {
    const { file } = writeSteps('ckpt_foreign', 40);
    const before = readFileSync(file, 'utf8');
    const result = await run([file, '--checkpoint', file]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(
      `instant-tx: checkpoint ${file} is not an instant-tx checkpoint this version can trust (line 1 reads "[\\"update\\"`,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect((await values('ckpt_foreign')).size).toBe(0);
  });
});
