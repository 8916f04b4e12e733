import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

const cli = new URL('../../dist/cli/main.js', import.meta.url).pathname;

// `serve` must stop within a second of SIGTERM even while a long query runs: queries run on read
// workers, so the main thread is free to handle the signal and close terminates them at once.
describe('instant-tx serve stops on SIGTERM mid-query', () => {
  it('exits 0 well before the long query could have finished', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--json', '--timeout-ms', '60000'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const { url, appId, adminToken } = JSON.parse(line.toString().split('\n')[0]!);
    const headers = { 'content-type': 'application/json', 'app-id': appId, authorization: `Bearer ${adminToken}` };
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    for (let batch = 0; batch < 60; batch++) {
      const steps = Array.from({ length: 1000 }, (_, n) => [
        'update',
        'goals',
        crypto.randomUUID(),
        { title: `goal ${batch}-${n}` },
      ]);
      expect((await post('/admin/transact', { steps })).status).toBe(200);
    }
    const long = { query: { goals: { $: { where: { title: { $not: 'none' } } }, todos: {} } } };
    // Once alone, to know how long the long query takes here; then again, with SIGTERM 100 ms in.
    let started = performance.now();
    expect((await post('/admin/query', long)).status).toBe(200);
    const queryMs = performance.now() - started;
    void post('/admin/query', long).catch(() => undefined);
    await new Promise((done) => setTimeout(done, 100));
    started = performance.now();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    const stopMs = performance.now() - started;
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(1000);
    expect(stopMs).toBeLessThan(queryMs);
  }, 60_000);
});
