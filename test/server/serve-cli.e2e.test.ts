import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { InstantServerStartError, startLocalServer } from '../../src/server/index.ts';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

describe('instant-tx serve --schema --rules', () => {
  it('creates the schema attributes and enforces the rules', async () => {
    const child = spawn(
      process.execPath,
      [cli, 'serve', '--json', '--schema', fixture('instant.schema.ts'), '--rules', fixture('rules.json')],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
      const { url, appId, adminToken } = JSON.parse(first.value as string) as {
        url: string;
        appId: string;
        adminToken: string;
      };
      const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
        const res = await fetch(`${url}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'app-id': appId,
            authorization: `Bearer ${adminToken}`,
            ...headers,
          },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as any };
      };
      const strict = { 'throw-on-missing-attrs?': true };
      const ok = await post('/admin/transact', {
        steps: [
          ['update', 'notes', crypto.randomUUID(), { body: 'hi', public: true }],
          ['update', 'notes', crypto.randomUUID(), { body: 'secret', public: false }],
        ],
        ...strict,
      });
      expect(ok.status).toBe(200);
      const unknown = await post('/admin/transact', {
        steps: [['update', 'notes', crypto.randomUUID(), { colour: 'red' }]],
        ...strict,
      });
      expect(unknown.body.hint.errors[0].hint.attributes).toEqual(['notes.colour']);
      const typed = await post('/admin/transact', { steps: [['update', 'notes', crypto.randomUUID(), { body: 5 }]] });
      expect(typed.body.message).toContain('Invalid value type for notes.body');
      const guest = await post('/admin/query', { query: { notes: {} } }, { 'as-guest': 'true', authorization: '' });
      expect(guest.body.notes.map((note: { body: string }) => note.body)).toEqual(['hi']);
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(child.exitCode).toBe(0);
  });
});

describe('the app id and admin token live in the database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'instant-tx-serve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts `serve --json` with `args`, reads its first line, and stops it. */
  async function serveOnce(args: string[]): Promise<{ url: string; appId: string; adminToken: string }> {
    const child = spawn(process.execPath, [cli, 'serve', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    try {
      const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
      expect(first.done, stderr).toBe(false);
      return JSON.parse(first.value as string);
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }

  it('serve: a restart on the same --db keeps both; an explicit flag replaces the stored one', async () => {
    const db = join(dir, 'serve.db');
    const first = await serveOnce(['--db', db]);
    expect(await serveOnce(['--db', db])).toMatchObject({ appId: first.appId, adminToken: first.adminToken });
    const rotated = crypto.randomUUID();
    expect(await serveOnce(['--db', db, '--admin-token', rotated])).toMatchObject({
      appId: first.appId,
      adminToken: rotated,
    });
    expect(await serveOnce(['--db', db])).toMatchObject({ appId: first.appId, adminToken: rotated });
    const other = await serveOnce(['--db', join(dir, 'other.db')]);
    expect(other.appId).not.toBe(first.appId);
  });

  it('startLocalServer({dbPath}): the same, and the stored token still opens the data written before', async () => {
    const dbPath = join(dir, 'library.db');
    const first = await startLocalServer({ dbPath });
    const id = crypto.randomUUID();
    const headers = (server: { appId: string; adminToken: string }) => ({
      'content-type': 'application/json',
      'app-id': server.appId,
      authorization: `Bearer ${server.adminToken}`,
    });
    await fetch(`${first.url}/admin/transact`, {
      method: 'POST',
      headers: headers(first),
      body: JSON.stringify({ steps: [['update', 'notes', id, { body: 'kept' }]] }),
    });
    await first.close();
    const second = await startLocalServer({ dbPath });
    try {
      expect({ appId: second.appId, adminToken: second.adminToken }).toEqual({
        appId: first.appId,
        adminToken: first.adminToken,
      });
      const res = await fetch(`${second.url}/admin/query`, {
        method: 'POST',
        headers: headers(second),
        body: JSON.stringify({ query: { notes: {} } }),
      });
      expect(((await res.json()) as { notes: { id: string }[] }).notes.map((note) => note.id)).toEqual([id]);
    } finally {
      await second.close();
    }
    const memory = [await startLocalServer(), await startLocalServer()];
    expect(memory[0]!.adminToken).not.toBe(memory[1]!.adminToken);
    await Promise.all(memory.map((server) => server.close()));
  });
});

describe('startLocalServer refuses to start, with a typed error, on', () => {
  const rejects = async (options: Parameters<typeof startLocalServer>[0], problem: string, message: RegExp) => {
    const error = await startLocalServer(options).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InstantServerStartError);
    expect(error).toMatchObject({ name: 'InstantServerStartError', problem });
    expect((error as Error).message).toMatch(message);
  };

  it('rules that do not compile or name unknown actions, before the first query', async () => {
    await rejects(
      { rules: { notes: { allow: { veiw: 'true' } } } },
      'invalid-rules',
      /notes\.allow\.veiw: unknown action 'veiw'/,
    );
    await rejects(
      { rules: { notes: { allow: { view: 'data.public ==' } } } },
      'invalid-rules',
      /notes\.allow\.view does not compile: /,
    );
    await rejects(
      { rules: { $default: { allow: { $default: 'ok' }, bind: ['ok', '(('] } } },
      'invalid-rules',
      /\$default\.bind\.ok does not compile/,
    );
    await rejects(
      { rules: { notes: { allow: { view: 5 } } } },
      'invalid-rules',
      /notes\.allow\.view must be a string of CEL/,
    );
  });

  it('bad options, a database folder that does not exist, a port in use', async () => {
    await rejects({ port: 70_000 }, 'invalid-option', /port must be an integer from 0 to 65535/);
    await rejects(
      { appId: 'my-app', adminToken: 'secret-ish' },
      'invalid-option',
      /^appId must be a UUID; adminToken must be a UUID \(the value is not shown\)$/,
    );
    await rejects({ dbPath: join(tmpdir(), crypto.randomUUID(), 'app.db') }, 'database', /does not exist/);
    const running = await startLocalServer();
    try {
      const port = Number(new URL(running.url).port);
      await rejects({ port }, 'port', new RegExp(`127\\.0\\.0\\.1:${port}: the port is already in use`));
    } finally {
      await running.close();
    }
  });
});
