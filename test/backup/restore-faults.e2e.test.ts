/**
 * `restore --to` / `restoreApp` against real local servers when the zip or the checkpoint is not what
 * it should be: a corrupt entry is found before anything is written; a resumed restore ends with every
 * file present whatever an earlier run left (a torn checkpoint line, an earlier version's file-id list);
 * a checkpoint of another target, or of nothing at all, is refused with one clear line.
 */
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreApp } from '../../src/backup/index.ts';
import { InstantBackupError } from '../../src/errors/instant-backup-error.ts';
import { InstantCheckpointError } from '../../src/errors/instant-checkpoint-error.ts';
import { type LocalServer, startLocalServer } from '../../src/server/index.ts';
import { expectOneLine, runCli } from '../cli/run-cli.ts';
import { connectionOf, corruptEntry, credentials, holdings, writeAppZip } from './restore-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'instant-tx-restore-faults-'));
const zip = join(dir, 'app.zip');
const servers: LocalServer[] = [];
let fileIds: string[];
let expected: Awaited<ReturnType<typeof holdings>>;

async function start(options: Parameters<typeof startLocalServer>[0] = {}): Promise<LocalServer> {
  const server = await startLocalServer(options);
  servers.push(server);
  return server;
}

beforeAll(async () => {
  fileIds = await writeAppZip(zip);
  const reference = await start();
  await restoreApp(zip, connectionOf(reference));
  expected = await holdings(reference);
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** A restore stopped after `batches` batches of 10 steps, leaving its checkpoint behind. */
async function stoppedRestore(server: LocalServer, batches = 3): Promise<string> {
  const stop = new AbortController();
  await expect(
    restoreApp(zip, connectionOf(server), {
      maxSteps: 10,
      concurrency: 1,
      signal: stop.signal,
      onProgress: (progress) => {
        if (progress.phase === 'entities' && progress.batchesDone >= batches) stop.abort();
      },
    }),
  ).rejects.toThrow(/stopped/);
  const checkpoint = `${zip}.restore-${server.appId}.ckpt`;
  expect(readFileSync(checkpoint, 'utf8').trim().split('\n').length).toBeGreaterThan(batches);
  return checkpoint;
}

describe('a corrupt zip: nothing is written', () => {
  it('the holdings of a full restore are the whole app (the reference the other tests compare with)', () => {
    expect(Object.fromEntries(Object.entries(expected.data).map(([ns, rows]) => [ns, rows.length]))).toEqual({
      goals: 30,
      todos: 80,
      $files: 3,
    });
  });

  it.each([
    ['entities/todos.jsonl', 'an entity entry read after others were written'],
    ['files/loc-2', "the last file's bytes"],
  ])('one byte changed in %s (%s): InstantBackupError naming it, exit 2, the target untouched', async (entry) => {
    const corrupt = join(dir, `corrupt-${entry.replace('/', '-')}.zip`);
    copyFileSync(zip, corrupt);
    await corruptEntry(corrupt, entry);
    const target = await start();
    const before = await holdings(target);
    const error = await restoreApp(corrupt, connectionOf(target)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstantBackupError);
    // The changed byte is found by the checksum, or first in a line it made malformed (entry:line).
    expect((error as InstantBackupError).entry).toMatch(new RegExp(`^${entry}(:\\d+)?$`));
    const line = expectOneLine(await runCli(['restore', corrupt, '--to', target.url, ...credentials(target)]));
    expect(line).toMatch(new RegExp(`^instant-tx: backup .*: ${entry}(:\\d+)?: `));
    // No attribute added, no entity, no file: the target holds what it held.
    expect(await holdings(target)).toEqual(before);
  });

  it('a zip whose $files row has no blob is refused before anything is written, not half-way', async () => {
    const holed = join(dir, 'holed.zip');
    await writeAppZip(holed);
    const bytes = readFileSync(holed);
    // Rename the last blob's entry (same length) so that its row's blob is missing.
    const name = Buffer.from('files/loc-2');
    let at = bytes.indexOf(name);
    while (at >= 0) {
      bytes.write('files/loc-9', at);
      at = bytes.indexOf(name, at + 1);
    }
    writeFileSync(holed, bytes);
    const target = await start();
    const before = await holdings(target);
    const error = await restoreApp(holed, connectionOf(target)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstantBackupError);
    expect((error as Error).message).toMatch(/files\/loc-2: missing.*nothing was written/);
    expect(await holdings(target)).toEqual(before);
  });
});

describe('both ways to restore', () => {
  it("create the same attributes from the backup's schema (one conversion: schemaAttrs)", async () => {
    const served = await start({ restore: zip });
    const records = async (server: LocalServer) => {
      const response = await fetch(`${server.url}/admin/schema`, {
        headers: { 'app-id': server.appId, authorization: `Bearer ${server.adminToken}` },
      });
      const { schema } = (await response.json()) as { schema: Record<string, Record<string, unknown>> };
      const all = [
        ...Object.values(schema.blobs!).flatMap((attrs) => Object.values(attrs as Record<string, unknown>)),
        ...Object.values(schema.refs!),
      ] as Record<string, unknown>[];
      // Ids are each server's own, inferred types come from the writes; the rest is what the schema declared.
      return all
        .map(({ id: _id, 'inferred-types': _types, 'forward-identity': f, 'reverse-identity': r, ...rest }) => ({
          ...rest,
          forward: (f as string[]).slice(1),
          ...(r ? { reverse: (r as string[]).slice(1) } : {}),
        }))
        .sort((a, b) => a.forward.join('.').localeCompare(b.forward.join('.')));
    };
    expect(await records(served)).toEqual(await records(servers[0]!));
  });
});

describe('a resumed restore', () => {
  it('after a torn checkpoint line and an earlier version’s torn file-id list: every file present', async () => {
    const target = await start();
    const checkpoint = await stoppedRestore(target);
    // A crash while a line was being written, and what instant-tx 0.1 kept beside it: file ids, one
    // line cut (which it read as the id "5b1", skipping that file's upload).
    appendFileSync(checkpoint, '7 3f2a');
    writeFileSync(`${zip}.restore-${target.appId}.files`, `${fileIds[0]} ${crypto.randomUUID()}\n${fileIds[1]} 5b1`);
    const run = await runCli(['restore', zip, '--to', target.url, '--max-steps', '10', ...credentials(target)], {
      timeout: 60_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/, 3 files, \d+ steps written, \d+ already written by an earlier run$/m);
    expect(await holdings(target)).toEqual(expected);
    rmSync(`${zip}.restore-${target.appId}.files`);
  }, 60_000);

  it('from a checkpoint of a restore into another server (same app id): refused, exit 2; without it, whole', async () => {
    const appId = crypto.randomUUID();
    const first = await start({ appId });
    const second = await start({ appId });
    const checkpoint = await stoppedRestore(first);
    const args = ['restore', zip, '--to', second.url, '--max-steps', '10', ...credentials(second)];
    const before = await holdings(second);
    expect(expectOneLine(await runCli(args, { timeout: 60_000 }))).toMatch(
      /^instant-tx: checkpoint .*\.ckpt was written by a restore of another zip, into another app or server, .*\(nothing was written\)/,
    );
    const error = await restoreApp(zip, connectionOf(second), { maxSteps: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstantCheckpointError);
    // Refused before anything went out: no attribute, entity or file on the second server.
    expect(await holdings(second)).toEqual(before);
    rmSync(checkpoint);
    const run = await runCli(args, { timeout: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(await holdings(second)).toEqual(expected);
  }, 60_000);

  it('from a checkpoint of another zip: refused', async () => {
    const target = await start();
    const checkpoint = await stoppedRestore(target);
    const other = join(dir, 'other.zip');
    await writeAppZip(other);
    const before = await holdings(target);
    const error = await restoreApp(other, connectionOf(target), {
      maxSteps: 10,
      checkpoint: checkpoint.slice(0, -'.ckpt'.length),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstantCheckpointError);
    expect((error as Error).message).toMatch(/another zip.*nothing was written/);
    // Before its first write: the other zip's files were not uploaded, nothing changed.
    expect(await holdings(target)).toEqual(before);
    // The same zip with other batch limits is refused alike (its batches would be cut elsewhere).
    const limits = await restoreApp(zip, connectionOf(target), {
      maxSteps: 20,
      checkpoint: checkpoint.slice(0, -'.ckpt'.length),
    }).catch((e: unknown) => e);
    expect(limits).toBeInstanceOf(InstantCheckpointError);
    rmSync(checkpoint);
  }, 60_000);

  it('a file that is not a checkpoint, a directory or no zip: one line, exit 2, nothing written', async () => {
    const target = await start();
    const before = await holdings(target);
    const checkpoint = `${zip}.restore-${target.appId}.ckpt`;
    writeFileSync(checkpoint, 'my notes\n');
    expect(expectOneLine(await runCli(['restore', zip, '--to', target.url, ...credentials(target)]))).toMatch(
      /^instant-tx: checkpoint .*\.ckpt is not an instant-tx checkpoint/,
    );
    rmSync(checkpoint);
    expect(expectOneLine(await runCli(['restore', dir, '--to', target.url, ...credentials(target)]))).toBe(
      `instant-tx: cannot read ${dir}: is a directory`,
    );
    expect(
      expectOneLine(await runCli(['restore', join(dir, 'none.zip'), '--to', target.url, ...credentials(target)])),
    ).toMatch(/none\.zip: no such file or directory/);
    expect(await holdings(target)).toEqual(before);
  });
});
