import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'instant-tx-durability-'));
const dbPath = join(dir, 'app.db');
const appId = crypto.randomUUID();
const adminToken = crypto.randomUUID();
const children: ChildProcess[] = [];

async function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--json', '--db', dbPath, '--app-id', appId, '--admin-token', adminToken],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const [line] = await createInterface({ input: child.stdout! })
    [Symbol.asyncIterator]()
    .next()
    .then((result) => [result.value as string]);
  return { child, url: (JSON.parse(line!) as { url: string }).url };
}

function transact(url: string, steps: unknown[]): Promise<Response> {
  return fetch(`${url}/admin/transact`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'app-id': appId, authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ steps }),
  });
}

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps every acknowledged transaction when the server is killed with SIGKILL mid-stream', async () => {
    const first = await startServer();
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (): Promise<void> => {
      while (!stop) {
        const id = crypto.randomUUID();
        const res = await transact(first.url, [
          ['update', 'events', id, { at: Date.now(), payload: 'x'.repeat(200) }],
        ]).catch(() => undefined);
        if (res?.status === 200) acknowledged.push(id);
        else return;
      }
    };
    const writers = [writer(), writer(), writer(), writer()];
    while (acknowledged.length < 200) await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);

    const second = await startServer();
    const res = await fetch(`${second.url}/admin/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'app-id': appId, authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query: { events: {} } }),
    });
    const stored = new Set(((await res.json()) as { events: { id: string }[] }).events.map((event) => event.id));
    const lost = acknowledged.filter((id) => !stored.has(id));
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);
    expect(lost).toEqual([]);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    expect(second.child.exitCode).toBe(0);
  });
});
