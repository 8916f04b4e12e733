import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';

const bin = new URL('../../dist/cli/main.js', import.meta.url).pathname;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('the instant-tx binary against the local server', () => {
  let server: LocalServer;
  const dir = mkdtempSync(join(tmpdir(), 'instant-tx-cli-'));
  const run = (args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], {
        env: {
          ...process.env,
          INSTANT_APP_ID: server.appId,
          INSTANT_ADMIN_TOKEN: server.adminToken,
          INSTANT_API_URI: server.url,
          ...options.env,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.stdin.end(options.stdin ?? '');
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  const db = () => init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });

  beforeAll(async () => {
    server = await startLocalServer({ rules: { notes: { allow: { view: 'data.public == true' } } } });
    await db().transact([
      [
        'add-attr',
        {
          id: crypto.randomUUID(),
          'forward-identity': [crypto.randomUUID(), 'typed', 'n'],
          'value-type': 'blob',
          cardinality: 'one',
          'unique?': false,
          'index?': false,
          'checked-data-type': 'number',
        },
      ],
    ]);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('transact - reads JSON Lines from a pipe and prints a JSON summary', async () => {
    const ids = Array.from({ length: 1_200 }, () => crypto.randomUUID());
    const lines = ids.map((id, n) =>
      JSON.stringify(
        n % 2
          ? ['update', 'notes', id, { n, public: n % 4 === 1 }]
          : [
              ['update', 'notes', id, { n, public: false }],
              ['link', 'notes', id, { tag: ids[0] }],
            ],
      ),
    );
    const result = await run(['transact', '-', '--max-steps', '100'], { stdin: lines.join('\n') });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ committedSteps: 1_800, skippedSteps: 0, failedBatches: [], stopped: false });
    expect(summary.batches).toBeGreaterThanOrEqual(18);
    const { notes } = (await db().query({ notes: {} })) as unknown as { notes: { n: number }[] };
    expect(notes.map((note) => note.n).sort((a, b) => a - b)).toEqual(ids.map((_, n) => n));
  });

  it('transact FILE --dry-run prints validated steps and sends nothing; a JSON array file works too', async () => {
    const file = join(dir, 'steps.json');
    const id = crypto.randomUUID();
    writeFileSync(
      file,
      JSON.stringify(
        [
          ['update', 'drafts', id, { a: 1 }],
          ['delete', 'drafts', id, null],
        ],
        null,
        2,
      ),
    );
    const result = await run(['transact', file, '--dry-run']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      ['update', 'drafts', id, { a: 1 }],
      ['delete', 'drafts', id, null],
    ]);
    expect((await db().query({ drafts: {} })).drafts).toEqual([]);
  });

  it('bad input is a usage error (exit 2) and nothing is written', async () => {
    const bad = await run(['transact', '-'], { stdin: '["update","oops","not-a-uuid",{"a":1}]\n{"not":"a step"}\n' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/instant-tx: /);
    expect((await db().query({ oops: {} })).oops).toEqual([]);
    const nan = await run(['transact', '-', '--dry-run'], {
      stdin: '["update","x","00000000-0000-4000-8000-000000000000",{"a":1e999}]\n',
    });
    expect(nan.code).toBe(2);
    expect(nan.stderr).toMatch(/Infinity is not a JSON number/);
  });

  it('a batch the server rejects → exit 3 with the failed batch on stderr; earlier batches stay committed', async () => {
    const lines = [
      ...Array.from({ length: 5 }, (_, n) => ['update', 'typed', crypto.randomUUID(), { n }]),
      ['update', 'typed', crypto.randomUUID(), { n: 'not a number' }],
    ].map((step) => JSON.stringify(step));
    const result = await run(['transact', '-', '--max-steps', '5', '--ordered'], { stdin: lines.join('\n') });
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({
      committedSteps: 5,
      failedBatches: [{ index: 1, from: 5, to: 6 }],
    });
    expect(result.stderr).toContain('Invalid value type for typed.n');
  });

  it('query prints results, and --as-guest applies the rules', async () => {
    const admin = await run(['query', '{"notes":{"$":{"where":{"n":1}}}}', '--json']);
    expect(admin.code).toBe(0);
    expect(JSON.parse(admin.stdout).notes).toHaveLength(1);
    const guest = await run(['query', '{"notes":{}}', '--as-guest']);
    const seen = JSON.parse(guest.stdout).notes as { public: boolean }[];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((note) => note.public)).toBe(true);
  });

  it('token create / verify, user get / delete', async () => {
    const created = await run(['token', 'create', 'cli@example.com']);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    const verified = await run(['token', 'verify', token, '--json']);
    expect(JSON.parse(verified.stdout)).toMatchObject({ email: 'cli@example.com' });
    expect(JSON.parse((await run(['user', 'get', '--email', 'cli@example.com'])).stdout)).toMatchObject({
      email: 'cli@example.com',
    });
    expect(JSON.parse((await run(['user', 'delete', '--email', 'cli@example.com'])).stdout)).toMatchObject({
      email: 'cli@example.com',
    });
    expect((await run(['user', 'get', '--email', 'cli@example.com'])).stdout.trim()).toBe('null');
    const unknown = await run(['token', 'verify', token]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).not.toContain(token);
  });

  it('an API error exits 1 and never prints the admin token', async () => {
    const wrong = crypto.randomUUID();
    const result = await run(['query', '{"notes":{}}', '--admin-token', wrong]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('record-not-found');
    expect(result.stderr + result.stdout).not.toContain(wrong);
    expect(result.stderr + result.stdout).not.toContain(server.adminToken);
  });

  it('answers --help for every command, and exit 2 for unknown ones', async () => {
    for (const command of [[], ['transact'], ['query'], ['token'], ['user'], ['serve']]) {
      const result = await run([...command, '--help']);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/Usage: instant-tx/);
    }
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['query'])).code).toBe(2);
    const badServe = await run(['serve', '--bogus']);
    expect(badServe.code).toBe(2);
    expect(badServe.stderr).toContain('Usage: instant-tx serve');
  });
});
