import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openSse } from './sse-reader.ts';

const cli = new URL('../../dist/cli/main.js', import.meta.url).pathname;

// Open live queries must not hold `serve` up: SIGTERM ends their streams and the process exits at once.
describe('instant-tx serve stops on SIGTERM with live queries open', () => {
  it('exits 0 within a second, and the streams end', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const { url, appId, adminToken } = JSON.parse(line.toString().split('\n')[0]!);
    const headers = { 'content-type': 'application/json', 'app-id': appId, authorization: `Bearer ${adminToken}` };
    const streams = await Promise.all(
      [1, 2, 3].map(() => openSse(`${url}/admin/subscribe-query`, headers, { query: { goals: {} } })),
    );
    for (const stream of streams) {
      expect((await stream.next()).op).toBe('sse-init');
      expect((await stream.next()).op).toBe('add-query-ok');
    }
    const started = performance.now();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(performance.now() - started).toBeLessThan(1000);
    await Promise.all(streams.map((stream) => stream.ended));
  }, 20_000);
});
