/**
 * The whole way off a server and back: a realistic app (zeneca, users, files, links of every
 * cardinality, rules) backed up through the Admin API with the CLI, opened with `serve --restore` /
 * `startLocalServer({restore})` on a new database, restored through the Admin API into a third server,
 * copied into a fourth — every namespace, link, user and file compared; then the faults: a backup
 * interrupted and resumed, a restore SIGKILLed and resumed from its checkpoint, CLI mistakes.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupApp, copyApp, openBackup, verifyBackup } from '../../src/backup/index.ts';
import { init } from '../../src/client/init.ts';
import { type LocalServer, startLocalServer } from '../../src/server/index.ts';
import { BIN, expectOneLine, runCli } from '../cli/run-cli.ts';
import { zenecaSteps } from '../server/zeneca.ts';

const dir = mkdtempSync(join(tmpdir(), 'instant-tx-round-trip-'));
const servers: LocalServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

const RULES = { bookshelves: { allow: { view: 'auth.id != null' } } };
const client = (server: LocalServer) =>
  init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
const credentials = (server: LocalServer) => ['--app-id', server.appId, '--admin-token', server.adminToken];

async function start(options: Parameters<typeof startLocalServer>[0] = {}): Promise<LocalServer> {
  const server = await startLocalServer(options);
  servers.push(server);
  return server;
}

const attrId = () => crypto.randomUUID();
function blob(ns: string, label: string, extra: Record<string, unknown> = {}): unknown[] {
  return [
    'add-attr',
    {
      id: attrId(),
      'forward-identity': [attrId(), ns, label],
      'value-type': 'blob',
      cardinality: 'one',
      'unique?': false,
      'index?': false,
      ...extra,
    },
  ];
}
function link(
  ns: string,
  label: string,
  revNs: string,
  revLabel: string,
  has: 'one' | 'many',
  revHas: 'one' | 'many',
): unknown[] {
  return [
    'add-attr',
    {
      id: attrId(),
      'forward-identity': [attrId(), ns, label],
      'reverse-identity': [attrId(), revNs, revLabel],
      'value-type': 'ref',
      cardinality: has,
      'unique?': revHas === 'one',
      'index?': false,
    },
  ];
}

/** Every namespace and the links seen from it, forward and reverse (each kind of cardinality). */
const SHAPE: Record<string, string[]> = {
  users: ['bookshelves', 'profile', '$user'],
  bookshelves: ['books', 'users'],
  books: ['bookshelves', 'author', 'cover', 'reviews'],
  profiles: ['user'],
  authors: ['books'],
  reviews: ['book'],
  $users: ['user'],
  $files: ['book'],
};

const FILES = [
  { path: 'covers/a.bin', type: 'application/octet-stream', bytes: randomBytes(300_000) },
  { path: 'covers/b.txt', type: 'text/plain', bytes: Buffer.from('a text file\n') },
  { path: 'docs/ünïcode name.json', type: 'application/json', bytes: Buffer.from('{"a":1}') },
];

/** The source app: zeneca, plus users, files, and links one-one, one-many, many-one, many-many. */
async function seed(server: LocalServer): Promise<void> {
  const db = client(server);
  await db.transactBatches(zenecaSteps() as never, { ordered: true, maxSteps: 1000 });
  await db.transact([
    blob('profiles', 'id', { 'unique?': true, 'index?': true }),
    blob('profiles', 'bio', { 'checked-data-type': 'string' }),
    blob('authors', 'id', { 'unique?': true, 'index?': true }),
    blob('authors', 'name', { 'checked-data-type': 'string', 'index?': true }),
    blob('reviews', 'id', { 'unique?': true, 'index?': true }),
    blob('reviews', 'stars', { 'checked-data-type': 'number' }),
    link('users', 'profile', 'profiles', 'user', 'one', 'one'),
    link('authors', 'books', 'books', 'author', 'many', 'one'),
    link('reviews', 'book', 'books', 'reviews', 'one', 'many'),
    link('books', 'cover', '$files', 'book', 'one', 'one'),
    link('users', '$user', '$users', 'user', 'one', 'one'),
  ] as never);
  const q = (await db.query({ users: {}, books: { $: { limit: 6 } } } as never)) as any;
  const fileIds: string[] = [];
  for (const file of FILES) {
    const response = await fetch(`${server.url}/admin/storage/upload?app_id=${server.appId}`, {
      method: 'PUT',
      headers: {
        'app-id': server.appId,
        authorization: `Bearer ${server.adminToken}`,
        path: file.path,
        'content-type': file.type,
      },
      body: file.bytes,
    });
    expect(response.status).toBe(200);
    fileIds.push(((await response.json()) as any).data.id);
  }
  const steps: unknown[][] = [];
  q.users.forEach((user: any, index: number) => {
    const profile = crypto.randomUUID();
    const account = crypto.randomUUID();
    steps.push(['update', 'profiles', profile, { bio: `bio ${index}` }], ['link', 'users', user.id, { profile }]);
    steps.push(
      ['update', '$users', account, { email: `${user.handle}@example.com` }],
      ['link', 'users', user.id, { $user: account }],
    );
  });
  const author = crypto.randomUUID();
  steps.push(['update', 'authors', author, { name: 'Jared Diamond' }]);
  steps.push(['link', 'authors', author, { books: q.books.slice(0, 3).map((book: any) => book.id) }]);
  q.books.slice(0, 3).forEach((book: any, index: number) => {
    const review = crypto.randomUUID();
    steps.push(['update', 'reviews', review, { stars: index + 3 }], ['link', 'reviews', review, { book: book.id }]);
    steps.push(['link', 'books', book.id, { cover: fileIds[index] }]);
  });
  await db.transact(steps as never);
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * What a server holds, comparable across servers: every namespace's rows (in default order unless
 * `sorted`) with their links as ids, `$files` by path (their ids differ after an upload elsewhere) with
 * the sha-256 of the bytes downloaded from their url.
 */
async function snapshot(server: LocalServer, sorted = false): Promise<Record<string, unknown[]>> {
  const db = client(server);
  const query: Record<string, unknown> = {};
  for (const [ns, links] of Object.entries(SHAPE))
    query[ns] = Object.fromEntries(links.map((label) => [label, { $: { fields: ['id'] } }]));
  const result = (await db.query(query as never)) as Record<string, Record<string, any>[]>;
  const fileName = new Map(result.$files!.map((file) => [file.id, `file:${file.path}`]));
  const name = (id: string) => fileName.get(id) ?? id;
  const out: Record<string, unknown[]> = {};
  for (const [ns, links] of Object.entries(SHAPE)) {
    const rows = [];
    for (const row of result[ns]!) {
      const copy: Record<string, unknown> = { ...row, id: name(row.id) };
      for (const label of links) copy[label] = (row[label] ?? []).map((target: any) => name(target.id)).sort();
      if (ns === '$files') {
        // Through the Admin API a file is uploaded again: a new location (and id, named by path here).
        if (sorted) delete copy['location-id'];
        const response = await fetch(row.url);
        copy.url = sha(Buffer.from(await response.arrayBuffer()));
        delete copy['key-version'];
      }
      rows.push(copy);
    }
    out[ns] = sorted ? rows.sort((a, b) => String(a.id).localeCompare(String(b.id))) : rows;
  }
  return out;
}

let source: LocalServer;
let expected: Record<string, unknown[]>;
const zip = join(dir, 'app.zip');

beforeAll(async () => {
  source = await start({ rules: RULES });
  await seed(source);
  expected = await snapshot(source);
}, 60_000);

describe('backup → serve --restore → restore --to', () => {
  it('the CLI backs the app up, with a summary of counts that backup verify re-checks', async () => {
    const rules = join(dir, 'rules.json');
    writeFileSync(rules, JSON.stringify(RULES));
    const run = await runCli(
      ['backup', '--out', zip, '--api-uri', source.url, '--rules', rules, '--page-size', '50', ...credentials(source)],
      {
        timeout: 60_000,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /app\.zip: \d+ entities \(\$files 3, \$users 4, authors 1, books 392, bookshelves 45, profiles 4, reviews 3, users 4\), \d+ triples, 3 files/,
    );
    expect(existsSync(`${zip}.parts`)).toBe(false);
    const verify = await runCli(['backup', 'verify', zip]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout.split(' triples')[0]).toBe(run.stdout.split(' triples')[0]);
    const backup = await openBackup(zip);
    expect(backup.config.rules).toEqual(RULES);
    expect(backup.config.appId).toBe(source.appId);
    expect(backup.files).toHaveLength(3);
    backup.close();
  }, 60_000);

  it('startLocalServer({restore}) on a new database: every namespace, link, user and file the same, in the same order', async () => {
    const copy = await start({ restore: zip, dbPath: join(dir, 'restored.db') });
    expect(await snapshot(copy)).toEqual(expected);
    // Its rules came from the backup.
    expect(((await client(copy).asUser({ guest: true }).query({ bookshelves: {} })) as any).bookshelves).toEqual([]);
  }, 60_000);

  it('instant-tx serve --restore opens it (and refuses a truncated zip with one line, exit 2)', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--restore', zip, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (chunk) => resolve(String(chunk)));
        child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      const { url, appId, adminToken } = JSON.parse(line) as { url: string; appId: string; adminToken: string };
      const result = (await init({ appId, adminToken, apiURI: url }).query({ books: {}, $users: {} } as never)) as any;
      expect(result.books).toHaveLength(392);
      expect(result.$users).toHaveLength(4);
    } finally {
      child.kill('SIGTERM');
    }
    const truncated = join(dir, 'truncated.zip');
    writeFileSync(truncated, readFileSync(zip).subarray(0, 5000));
    const db = join(dir, 'never.db');
    expect(expectOneLine(await runCli(['serve', '--restore', truncated, '--db', db]))).toMatch(
      /^instant-tx: cannot restore .*truncated\.zip: not a readable zip \(truncated or corrupt\?\)/,
    );
    expect(expectOneLine(await runCli(['backup', 'verify', truncated]))).toMatch(/not a readable zip/);
  }, 60_000);

  it('instant-tx restore --to a third server: the same again (files get new ids; creation times are the write times)', async () => {
    const third = await start();
    const run = await runCli(['restore', zip, '--to', third.url, ...credentials(third)], { timeout: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^restored .*: \d+ attributes added, 3 files, \d+ steps written/);
    expect(await snapshot(third, true)).toEqual(await snapshot(source, true));
  }, 60_000);

  it('copyApp copies one app into another', async () => {
    const fourth = await start();
    const report = await copyApp(
      { appId: source.appId, adminToken: source.adminToken, apiURI: source.url },
      { appId: fourth.appId, adminToken: fourth.adminToken, apiURI: fourth.url },
      { via: join(dir, 'copy.zip') },
    );
    expect(report.filesUploaded).toBe(3);
    expect(await snapshot(fourth, true)).toEqual(await snapshot(source, true));
    expect(existsSync(join(dir, 'copy.zip'))).toBe(false);
  }, 60_000);
});

describe('faults', () => {
  it('a backup interrupted mid-way resumes from its checkpoint and writes the same backup', async () => {
    const out = join(dir, 'resumed.zip');
    const conn = { appId: source.appId, adminToken: source.adminToken, apiURI: source.url };
    const stop = new AbortController();
    let pages = 0;
    let stoppedAt = 0;
    await expect(
      backupApp(conn, {
        out,
        pageSize: 20,
        signal: stop.signal,
        onProgress: (progress) => {
          if (++pages < 5) return;
          stoppedAt = progress.entities;
          stop.abort();
        },
      }),
    ).rejects.toThrow();
    expect(existsSync(`${out}.parts`)).toBe(true);
    expect(existsSync(out)).toBe(false);
    let resumedAt: number | undefined;
    const summary = await backupApp(conn, { out, pageSize: 20, onProgress: (p) => (resumedAt ??= p.entities) });
    // The first page of the resumed run comes after the pages the interrupted one had written.
    expect(stoppedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeGreaterThan(stoppedAt);
    const whole = await verifyBackup(zip);
    expect(summary.counts).toEqual(whole.counts);
    expect(summary.tripleCount).toBe(whole.tripleCount);
    expect((await verifyBackup(out)).problems).toEqual([]);
    const restored = await start({ restore: out });
    expect(await snapshot(restored)).toEqual(expected);
  }, 60_000);

  it('a restore killed with SIGKILL resumes from its checkpoint: nothing twice, nothing missing', async () => {
    const target = await start();
    const args = ['restore', zip, '--to', target.url, '--max-steps', '20', ...credentials(target)];
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
    const checkpoint = `${zip}.restore-${target.appId}.ckpt`;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    for (let i = 0; i < 500; i++) {
      if (existsSync(checkpoint) && readFileSync(checkpoint, 'utf8').split('\n').length > 10) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    await exited;
    expect(readFileSync(checkpoint, 'utf8').split('\n').length).toBeGreaterThan(10);
    const run = await runCli(args, { timeout: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/, \d+ already written by an earlier run$/m);
    expect(await snapshot(target, true)).toEqual(await snapshot(source, true));
    expect(existsSync(checkpoint)).toBe(false);
  }, 60_000);

  it('CLI mistakes exit 2 with one clear line', async () => {
    expect(expectOneLine(await runCli(['backup']), { usage: true })).toBe('instant-tx: backup needs --out app.zip');
    expect(expectOneLine(await runCli(['backup', '--out', 'x.zip', '--page-size', '0']), { usage: true })).toMatch(
      /--page-size takes an integer/,
    );
    expect(expectOneLine(await runCli(['backup', '--out', 'x.zip'], { env: { INSTANT_APP_ID: undefined } }))).toMatch(
      /no app id/,
    );
    expect(expectOneLine(await runCli(['restore', zip]), { usage: true })).toMatch(/restore needs --to/);
    expect(
      expectOneLine(await runCli(['restore', join(dir, 'missing.zip'), '--to', source.url, ...credentials(source)])),
    ).toMatch(/missing\.zip: no such file or directory/);
    // A directory in place of the zip: a user's mistake named as such (yauzl's read of it has no path).
    expect(expectOneLine(await runCli(['backup', 'verify', dir]))).toBe(
      `instant-tx: cannot read ${dir}: is a directory`,
    );
    expect(expectOneLine(await runCli(['copy', '--from', source.url]), { usage: true })).toMatch(/copy needs --from/);
    expect(expectOneLine(await runCli(['serve', '--replace']), { usage: true })).toMatch(
      /--replace applies only with --restore/,
    );
    expect(expectOneLine(await runCli(['backup', 'verify']), { usage: true })).toMatch(/backup verify takes one zip/);
  }, 60_000);
});
