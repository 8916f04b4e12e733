/**
 * `copy` / `copyApp` against real local servers when the target is wrong or a run is resumed: the
 * target is checked (reachable, its credentials, writable) before the source is read, so a bad one fails
 * at once and leaves no backup behind; a resumed copy restores the backup the failed run finished
 * instead of taking another; a zip of another app, or the source as its own target, is refused.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BackupProgress, copyApp, type RestoreProgress } from '../../src/backup/index.ts';
import { InstantAPIError } from '../../src/errors/instant-api-error.ts';
import { InstantBackupError } from '../../src/errors/instant-backup-error.ts';
import { InstantNetworkError } from '../../src/errors/instant-network-error.ts';
import { InstantValidationError } from '../../src/errors/instant-validation-error.ts';
import { type LocalServer, startLocalServer } from '../../src/server/index.ts';
import { expectOneLine, runCli } from '../cli/run-cli.ts';
import { type Stub, startStub } from '../client/stub-server.ts';
import { connectionOf, holdings, writeAppZip } from './restore-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'instant-tx-copy-faults-'));
const via = join(dir, 'via.zip');
const servers: LocalServer[] = [];
let source: LocalServer;
let expected: Awaited<ReturnType<typeof holdings>>['data'];
let stub: Stub;

async function start(options: Parameters<typeof startLocalServer>[0] = {}): Promise<LocalServer> {
  const server = await startLocalServer(options);
  servers.push(server);
  return server;
}

beforeAll(async () => {
  const zip = join(dir, 'app.zip');
  await writeAppZip(zip);
  source = await start({ restore: zip });
  expected = (await holdings(source)).data;
  stub = await startStub();
}, 60_000);
afterEach(() => {
  for (const name of [via, `${via}.parts`]) rmSync(name, { recursive: true, force: true });
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Whether the source was read: a backup leaves its zip or its work folder. */
const backedUp = () => existsSync(via) || existsSync(`${via}.parts`);

describe('copy checks its target before it reads the source', () => {
  it('a wrong admin token: the API error at once, no backup taken', async () => {
    const target = await start();
    const wrong = { ...connectionOf(target), adminToken: crypto.randomUUID() };
    const error = await copyApp(connectionOf(source), wrong, { via }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstantAPIError);
    expect((error as InstantAPIError).type).toBe('record-not-found');
    expect(backedUp()).toBe(false);
    const run = await runCli([
      'copy',
      '--from',
      source.url,
      '--from-app-id',
      source.appId,
      '--from-admin-token',
      source.adminToken,
      '--to',
      target.url,
      '--to-app-id',
      target.appId,
      '--to-admin-token',
      wrong.adminToken,
      '--via',
      via,
    ]);
    expect(expectOneLine(run, { code: 1 })).toMatch(
      /GET \/admin\/schema failed with 400 record-not-found: Record not found: app-admin-token/,
    );
    expect(backedUp()).toBe(false);
  });

  it('a server that does not answer: a network error, no backup taken', async () => {
    const closed = await start();
    const target = connectionOf(closed);
    await closed.close();
    servers.splice(servers.indexOf(closed), 1);
    const error = await copyApp(connectionOf(source), target, { via }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstantNetworkError);
    expect(backedUp()).toBe(false);
  });

  it('a read-only target: the sentence saying so, no backup taken', async () => {
    stub.fallback = (request) =>
      request.path === '/admin/schema'
        ? { status: 200, body: { schema: { blobs: {}, refs: {} } } }
        : { status: 400, body: { type: 'app-read-only', message: 'This app is in read-only mode.' } };
    const target = { appId: crypto.randomUUID(), adminToken: crypto.randomUUID(), apiURI: stub.url };
    const error = await copyApp(connectionOf(source), target, { via }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstantAPIError);
    expect((error as Error).message).toMatch(/is read-only .*restore into a writable app/);
    expect(backedUp()).toBe(false);
  });

  it('the source as its own target: refused before anything', async () => {
    const error = await copyApp(connectionOf(source), connectionOf(source), { via }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstantValidationError);
    expect((error as Error).message).toMatch(/^Invalid copy: to: is the app copied from/);
    expect(backedUp()).toBe(false);
  });
});

describe('a resumed copy', () => {
  it('restores the backup the failed run finished, without reading the source again', async () => {
    const target = await start();
    const stop = new AbortController();
    const failed = copyApp(connectionOf(source), connectionOf(target), {
      via,
      signal: stop.signal,
      onProgress: (progress) => {
        if ('batchesDone' in progress && progress.batchesDone >= 1) stop.abort();
      },
    });
    await expect(failed).rejects.toThrow(/stopped/);
    expect(existsSync(via)).toBe(true);
    const seen: (BackupProgress | RestoreProgress)[] = [];
    const report = await copyApp(connectionOf(source), connectionOf(target), {
      via,
      onProgress: (progress) => seen.push(progress),
    });
    // No backup progress (its events have an entity count): only the restore's files and batches.
    expect(seen.filter((progress) => 'entities' in progress)).toEqual([]);
    expect(report.skipped).toBeGreaterThan(0);
    expect(report.filesUploaded).toBe(3);
    expect((await holdings(target)).data).toEqual(expected);
    expect(existsSync(via)).toBe(false);
  }, 60_000);

  it('refuses a --via zip that is a backup of another app, before writing anything', async () => {
    await writeAppZip(via);
    const target = await start();
    const before = await holdings(target);
    const error = await copyApp(connectionOf(source), connectionOf(target), { via }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstantBackupError);
    expect((error as Error).message).toMatch(/is a backup of app .*, not of the app copied from .*: delete it/);
    expect(await holdings(target)).toEqual(before);
  });
});
