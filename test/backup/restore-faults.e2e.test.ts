/**
 * `restore --to` / `restoreApp` against real local servers when the zip is not what it should be: a
 * corrupt entry, or a file's blob missing, is found before anything is written.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreApp } from '../../src/backup/index.ts';
import { InstantBackupError } from '../../src/errors/instant-backup-error.ts';
import { type LocalServer, startLocalServer } from '../../src/server/index.ts';
import { expectOneLine, runCli } from '../cli/run-cli.ts';
import { connectionOf, corruptEntry, credentials, holdings, writeAppZip } from './restore-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'instant-tx-restore-faults-'));
const zip = join(dir, 'app.zip');
const servers: LocalServer[] = [];
let expected: Awaited<ReturnType<typeof holdings>>;

async function start(options: Parameters<typeof startLocalServer>[0] = {}): Promise<LocalServer> {
  const server = await startLocalServer(options);
  servers.push(server);
  return server;
}

beforeAll(async () => {
  await writeAppZip(zip);
  const reference = await start();
  await restoreApp(zip, connectionOf(reference));
  expected = await holdings(reference);
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

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
