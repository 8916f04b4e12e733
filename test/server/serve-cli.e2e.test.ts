import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { InstantServerStartError, startLocalServer } from '../../src/server/index.ts';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

describe('instant-tx serve --schema --rules', () => {
  it('creates the schema attributes and enforces the rules', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--json', '--schema', fixture('instant.schema.ts'), '--rules', fixture('rules.json')], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
      const { url, appId, adminToken } = JSON.parse(first.value as string) as { url: string; appId: string; adminToken: string };
      const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
        const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'app-id': appId, authorization: `Bearer ${adminToken}`, ...headers }, body: JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as any };
      };
      const strict = { 'throw-on-missing-attrs?': true };
      const ok = await post('/admin/transact', { steps: [['update', 'notes', crypto.randomUUID(), { body: 'hi', public: true }], ['update', 'notes', crypto.randomUUID(), { body: 'secret', public: false }]], ...strict });
      expect(ok.status).toBe(200);
      const unknown = await post('/admin/transact', { steps: [['update', 'notes', crypto.randomUUID(), { colour: 'red' }]], ...strict });
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

describe('startLocalServer refuses to start, with a typed error, on', () => {
  const rejects = async (options: Parameters<typeof startLocalServer>[0], problem: string, message: RegExp) => {
    const error = await startLocalServer(options).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstantServerStartError);
    expect(error).toMatchObject({ name: 'InstantServerStartError', problem });
    expect((error as Error).message).toMatch(message);
  };

  it('rules that do not compile or name unknown actions, before the first query', async () => {
    await rejects({ rules: { notes: { allow: { veiw: 'true' } } } }, 'invalid-rules', /notes\.allow\.veiw: unknown action 'veiw'/);
    await rejects({ rules: { notes: { allow: { view: 'data.public ==' } } } }, 'invalid-rules', /notes\.allow\.view does not compile: /);
    await rejects({ rules: { $default: { allow: { $default: 'ok' }, bind: ['ok', '(('] } } }, 'invalid-rules', /\$default\.bind\.ok does not compile/);
    await rejects({ rules: { notes: { allow: { view: 5 } } } }, 'invalid-rules', /notes\.allow\.view must be a string of CEL/);
  });

  it('bad options, a database folder that does not exist, a port in use', async () => {
    await rejects({ port: 70_000 }, 'invalid-option', /port must be an integer from 0 to 65535/);
    await rejects({ appId: 'my-app', adminToken: 'secret-ish' }, 'invalid-option', /^appId must be a UUID; adminToken must be a UUID \(the value is not shown\)$/);
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
