import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { init, lookup } from '@instantdb/admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let dir: string;
let server: LocalServer;
let db: ReturnType<typeof init>;
const blobs = (): string[] => {
  const folder = join(dir, 'app.db.files');
  return existsSync(folder) ? readdirSync(folder) : [];
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'instant-tx-official-storage-'));
  server = await startLocalServer({
    dbPath: join(dir, 'app.db'),
    rules: { $files: { allow: { view: 'true', create: "data.path.startsWith('public/')" } } },
  });
  db = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function row(path: string): Promise<Record<string, any> | undefined> {
  const { $files } = await db.query({ $files: { $: { where: { path } } } });
  return $files[0];
}

describe('@instantdb/admin 1.0.67 db.storage against the local server', () => {
  it('uploadFile(Buffer) and uploadFile(Node stream, {fileSize}): rows, urls and bytes', async () => {
    const buffer = await db.storage.uploadFile('sdk/a.txt', Buffer.from('from a buffer'), {
      contentType: 'text/plain',
    });
    expect(buffer.data.id).toMatch(UUID);
    const streamed = await db.storage.uploadFile(
      'sdk/b.bin',
      Readable.from([Buffer.from('from '), Buffer.from('a stream')]),
      { fileSize: 13, contentDisposition: 'attachment' },
    );
    expect(streamed.data.id).toMatch(UUID);
    const a = await row('sdk/a.txt');
    const b = await row('sdk/b.bin');
    expect(a).toMatchObject({ id: buffer.data.id, size: 13, 'content-type': 'text/plain' });
    expect(b).toMatchObject({ id: streamed.data.id, size: 13, 'content-disposition': 'attachment' });
    expect(await (await fetch(a!.url)).text()).toBe('from a buffer');
    expect(await (await fetch(b!.url)).text()).toBe('from a stream');
  });

  it('delete and deleteMany answer Instant’s shapes and remove rows and blobs', async () => {
    const one = await db.storage.uploadFile('sdk/del1.txt', Buffer.from('1'));
    await db.storage.uploadFile('sdk/del2.txt', Buffer.from('2'));
    await db.storage.uploadFile('sdk/del3.txt', Buffer.from('3'));
    const count = blobs().length;
    expect(await db.storage.delete('sdk/del1.txt')).toEqual({ data: { id: one.data.id } });
    const many = await db.storage.deleteMany(['sdk/del2.txt', 'sdk/del3.txt', 'sdk/none.txt']);
    expect(many.data.ids).toHaveLength(2);
    expect(blobs().length).toBe(count - 3);
    expect(await row('sdk/del2.txt')).toBeUndefined();
  });

  it('transact delete by lookup(path) deletes the file and its blob', async () => {
    const { data } = (await db.storage.uploadFile('sdk/lookup.txt', Buffer.from('l'))) as any;
    await db.transact(db.tx.$files[lookup('path', 'sdk/lookup.txt')].delete());
    expect(await row('sdk/lookup.txt')).toBeUndefined();
    expect(blobs()).not.toContain(data['location-id']);
  });

  it('the deprecated upload, list and getDownloadUrl', async () => {
    expect(await db.storage.upload('sdk/old.txt', Buffer.from('old way'), { contentType: 'text/plain' })).toBe(true);
    const url = await db.storage.getDownloadUrl('sdk/old.txt');
    expect(await (await fetch(url)).text()).toBe('old way');
    const files = await db.storage.list();
    expect(files).toContainEqual(
      expect.objectContaining({ name: 'sdk/old.txt', size: 7, etag: null, last_modified: null }),
    );
  });

  it('asUser guest: create allowed under public/ only, as the $files rule says', async () => {
    const guest = db.asUser({ guest: true });
    expect((await guest.storage.uploadFile('public/g.txt', Buffer.from('g'))).data.id).toMatch(UUID);
    await expect(guest.storage.uploadFile('private/g.txt', Buffer.from('g'))).rejects.toMatchObject({
      status: 400,
      body: { type: 'permission-denied', hint: { input: ['$files', 'create'] } },
    });
    await expect(guest.storage.delete('public/g.txt')).rejects.toMatchObject({
      body: { type: 'permission-denied', hint: { input: ['$files', 'delete'] } },
    });
  });
});
