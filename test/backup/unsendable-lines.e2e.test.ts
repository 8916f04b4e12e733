/**
 * Lines a zip may hold that no Instant wrote, or that the Admin API cannot carry: each is named (entry
 * and line) by `backup verify`, `serve --restore` and `restore --to` alike, and a restore through the
 * API refuses it before its first write — not after attributes and files went to the target.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restoreApp, verifyBackup } from '../../src/backup/index.ts';
import { InstantBackupError } from '../../src/errors/instant-backup-error.ts';
import { type LocalServer, startLocalServer } from '../../src/server/index.ts';
import { expectOneLine, runCli } from '../cli/run-cli.ts';
import { instantStyleZip } from './instant-zip.ts';
import { connectionOf, credentials, holdings } from './restore-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'instant-tx-unsendable-'));
const servers: LocalServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});
async function start(): Promise<LocalServer> {
  const server = await startLocalServer();
  servers.push(server);
  return server;
}

const ID = '1c774801-bdb5-459b-bb04-07f7964a7e77';
const OK_ID = '3f2ad28e-440e-493b-a855-d43fa69566ed';
const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

/** A zip of two goals: a sound one first, then `line`, the one under test. */
function zipWith(name: string, line: string): string {
  const config = {
    counts: { goals: 2 },
    tripleCount: 4,
    schema: {
      entities: { goals: { attrs: { v: { valueType: 'json', config: { unique: false, indexed: false } } } } },
      links: {},
    },
    rules: {},
    title: 'unsendable',
    appId: '7e408400-5f7d-4682-86f3-07536e1803df',
    backupAt: 1,
  };
  const sound = JSON.stringify({ entity: { id: OK_ID, v: 'fine' }, createdAt: 1 });
  const path = join(dir, `${name}.zip`);
  writeFileSync(
    path,
    instantStyleZip([
      ['config.json', JSON.stringify(config)],
      ['entities/goals.jsonl', `${sound}\n${line}\n`],
    ]),
  );
  return path;
}

const line = (entity: string) => `{"entity":{"id":"${ID}",${entity}},"createdAt":1}`;

describe('a line no Instant wrote: refused everywhere, naming entities/goals.jsonl:2', () => {
  it.each([
    ['nested 10,000 deep', line(`"v":${nested(10_000)}`), /nested more than 1000 levels deep/],
    ['a NUL character in a value', line('"v":"a\\u0000b"'), /NUL character/],
    ['a NUL character in a key', line('"a\\u0000b":1'), /NUL character/],
  ])('%s', async (name, text, message) => {
    const path = zipWith(name.replace(/\W+/g, '-'), text);
    const verified = await verifyBackup(path).catch((e: unknown) => e);
    expect(verified).toBeInstanceOf(InstantBackupError);
    expect((verified as InstantBackupError).entry).toBe('entities/goals.jsonl:2');
    expect((verified as Error).message).toMatch(message);
    await expect(startLocalServer({ restore: path })).rejects.toThrow(message);
    const target = await start();
    const before = await holdings(target);
    const restored = await restoreApp(path, connectionOf(target)).catch((e: unknown) => e);
    expect(restored).toBeInstanceOf(InstantBackupError);
    expect((restored as Error).message).toMatch(message);
    expect(await holdings(target)).toEqual(before);
  });

  it('a label the schema does not declare (here __proto__): a problem for verify, refused by both restores', async () => {
    const path = zipWith('undeclared', line('"__proto__":{"x":1}'));
    const { problems } = await verifyBackup(path);
    expect(problems).toEqual([
      "entities/goals.jsonl:2: goals.__proto__ is not in config.json's schema (a restore has no attribute for it)",
    ]);
    await expect(startLocalServer({ restore: path })).rejects.toThrow(/missing attr for goals\.__proto__/);
    const target = await start();
    const before = await holdings(target);
    await expect(restoreApp(path, connectionOf(target))).rejects.toThrow(/goals\.__proto__ is not in config\.json/);
    expect(await holdings(target)).toEqual(before);
  });
});

/** A zip of two `$users` lines and two `$files` rows with their blobs; `users` and `files` are the lines. */
function systemZip(name: string, users: string, files: readonly [string, string]): string {
  const config = {
    counts: { $users: 1, $files: 2 },
    // One triple per key of every line.
    tripleCount: [users, ...files].reduce((sum, text) => sum + Object.keys(JSON.parse(text).entity).length, 0),
    schema: { entities: {}, links: {} },
    rules: {},
    title: 'system',
    appId: '7e408400-5f7d-4682-86f3-07536e1803df',
    backupAt: 1,
  };
  const path = join(dir, `${name}.zip`);
  writeFileSync(
    path,
    instantStyleZip([
      ['config.json', JSON.stringify(config)],
      ['entities/$files.jsonl', `${files[0]}\n${files[1]}\n`],
      ['entities/$users.jsonl', `${users}\n`],
      ['files/5c7e1d2e-0000-4000-8000-000000000001', 'one'],
      ['files/5c7e1d2e-0000-4000-8000-000000000002', 'two'],
    ]),
  );
  return path;
}

const fileLine = (id: string, path: string, location: string) =>
  JSON.stringify({
    entity: { id, path, size: 3, 'content-type': 'text/plain', 'location-id': location },
    createdAt: 1,
  });
const FILE_1 = '9dea2987-27a4-4a2b-bb46-222491e4a571';
const FILE_2 = '9dea2987-27a4-4a2b-bb46-222491e4a572';
const LOC_1 = '5c7e1d2e-0000-4000-8000-000000000001';
const LOC_2 = '5c7e1d2e-0000-4000-8000-000000000002';

describe("Instant's own namespaces: verify, serve and restore agree", () => {
  const user = (extra: string) => `{"entity":{"id":"${ID}","email":"a@b.co"${extra}},"createdAt":1}`;
  const files = [fileLine(FILE_1, 'a.txt', LOC_1), fileLine(FILE_2, 'b.txt', LOC_2)] as const;

  it('catalog columns need no schema; a $users label neither the schema nor the catalog has is refused alike', async () => {
    expect((await verifyBackup(systemZip('sound-system', user(''), files))).problems).toEqual([]);
    const path = systemZip('nickname', user(',"nickname":"al"'), files);
    expect((await verifyBackup(path)).problems).toEqual([
      "entities/$users.jsonl:1: $users.nickname is not in config.json's schema (a restore has no attribute for it)",
    ]);
    await expect(startLocalServer({ restore: path })).rejects.toThrow(/missing attr for \$users\.nickname/);
    const target = await start();
    const before = await holdings(target);
    await expect(restoreApp(path, connectionOf(target))).rejects.toThrow(/\$users\.nickname is not in config\.json/);
    expect(await holdings(target)).toEqual(before);
  });

  it('two $files rows with one path (a restore would keep one file and report two): refused alike', async () => {
    const path = systemZip('same-path', user(''), [files[0], fileLine(FILE_2, 'a.txt', LOC_2)]);
    expect((await verifyBackup(path)).problems).toEqual([
      'entities/$files.jsonl:2: the path "a.txt" is held by an earlier $files row too (Instant keeps one file per path)',
    ]);
    await expect(startLocalServer({ restore: path })).rejects.toThrow(/two \$files rows hold the path "a\.txt"/);
    const target = await start();
    const before = await holdings(target);
    await expect(restoreApp(path, connectionOf(target))).rejects.toThrow(/held by an earlier \$files row/);
    expect(await holdings(target)).toEqual(before);
  });
});

describe('a line Instant could write but the Admin API cannot carry as it is', () => {
  it('a value 500 levels deep: opens locally; restore --to refuses it before writing, naming the line', async () => {
    const path = zipWith('deep-500', line(`"v":${nested(500)}`));
    expect((await verifyBackup(path)).problems).toEqual([]);
    const served = await startLocalServer({ restore: path });
    servers.push(served);
    const target = await start();
    const before = await holdings(target);
    const run = expectOneLine(await runCli(['restore', path, '--to', target.url, ...credentials(target)]));
    expect(run).toMatch(
      /^instant-tx: backup .*: entities\/goals\.jsonl:2: cannot be restored through the Admin API: v\[0\].*nested more than 100 levels deep/,
    );
    expect(await holdings(target)).toEqual(before);
  });

  it('an entity larger than one transaction: refused with a hint before writing; --max-bytes lets it through', async () => {
    const path = zipWith('big', line(`"v":"${'x'.repeat(5_000_000)}"`));
    const target = await start();
    const before = await holdings(target);
    const run = expectOneLine(await runCli(['restore', path, '--to', target.url, ...credentials(target)]));
    expect(run).toMatch(/entities\/goals\.jsonl:2: .*larger than a batch may be.*--max-bytes/);
    expect(await holdings(target)).toEqual(before);
    const done = await runCli(['restore', path, '--to', target.url, ...credentials(target), '--max-bytes', '6000000']);
    expect(done.code, done.stderr).toBe(0);
    const db = (await import('../../src/client/init.ts')).init(connectionOf(target));
    const { goals } = (await db.query({ goals: {} } as never)) as { goals: { id: string; v: string }[] };
    expect(goals.map((goal) => [goal.id, goal.v.length]).sort()).toEqual([
      [ID, 5_000_000],
      [OK_ID, 4],
    ]);
  });
});

describe('restore options', () => {
  it('a number no batch can take is refused before the zip is opened or the target asked', async () => {
    const target = { appId: crypto.randomUUID(), adminToken: crypto.randomUUID(), apiURI: 'http://127.0.0.1:9' };
    const error = await restoreApp(join(dir, 'no-such.zip'), target, { concurrency: 0, maxBytes: Number.NaN }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('InstantValidationError');
    expect((error as Error).message).toMatch(/concurrency: expected a whole number from 1 to 64, got 0/);
  });
});
