import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { InstantServerStartError, startLocalServer } from '../../src/server/index.ts';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Runs `instant-tx serve` from source with `args`; resolves with its first stdout line (or its exit). */
async function serve(
  args: string[],
): Promise<{ line?: string; code?: number | null; stderr: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [cli, 'serve', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGINT');
    await exited;
  };
  if (first.done) return { code: await exited, stderr, stop };
  return { line: first.value as string, stderr, stop };
}

describe('serve --max-file-bytes', () => {
  it('sets the upload limit: one byte over is 413 payload-too-large, the limit itself fits', async () => {
    const run = await serve(['--max-file-bytes', '10']);
    try {
      const { url, appId, adminToken } = JSON.parse(run.line!);
      const put = (body: string) =>
        fetch(`${url}/admin/storage/upload`, {
          method: 'PUT',
          headers: { 'app-id': appId, authorization: `Bearer ${adminToken}`, path: 'f.txt' },
          body,
        });
      const over = await put('x'.repeat(11));
      expect(over.status).toBe(413);
      expect(await over.json()).toEqual({
        type: 'payload-too-large',
        message: 'File is larger than 10 bytes.',
        hint: { 'max-bytes': 10 },
      });
      expect((await put('x'.repeat(10))).status).toBe(200);
    } finally {
      await run.stop();
    }
  });

  it('a value that is not a whole number of bytes is a usage error (exit 2)', async () => {
    const run = await serve(['--max-file-bytes', '1.5MB']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--max-file-bytes takes a whole number of bytes, got '1.5MB'");
  });
});

describe('startLocalServer({maxFileBytes})', () => {
  it('refuses a negative or fractional limit with InstantServerStartError, opening nothing', async () => {
    for (const maxFileBytes of [-1, 1.5, Number.NaN]) {
      const error = await startLocalServer({ maxFileBytes }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InstantServerStartError);
      expect((error as Error).message).toContain('maxFileBytes must be a whole number of bytes');
    }
  });
});
