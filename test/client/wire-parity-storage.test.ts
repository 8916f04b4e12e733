import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Recorded } from './stub-server.ts';
import { essentials, useParityPair, WIRE_HEADERS } from './wire-essentials.ts';

const appId = crypto.randomUUID();
const adminToken = crypto.randomUUID();
const refreshToken = crypto.randomUUID();
const fileId = crypto.randomUUID();
const locationId = crypto.randomUUID();

/** Storage calls also name the file and its size in headers. */
const STORAGE_WIRE = {
  headers: [...WIRE_HEADERS, 'path', 'content-disposition', 'content-length', 'transfer-encoding'],
  wholeValues: true,
};

/** Canned answers so both SDKs accept the response. */
function answer(request: Recorded) {
  switch (`${request.method} ${request.path}`) {
    case 'PUT /admin/storage/upload':
      return { status: 200, body: { data: { id: fileId, 'location-id': locationId, size: 5 } } };
    case 'DELETE /admin/storage/files':
      return { status: 200, body: { data: { id: fileId } } };
    case 'POST /admin/storage/files/delete':
      return { status: 200, body: { data: { ids: [fileId] } } };
    case 'GET /admin/storage/files':
      return { status: 200, body: { data: [] } };
    case 'GET /admin/storage/signed-download-url':
      return { status: 200, body: { data: `http://${request.headers.host}/storage/${appId}/${fileId}` } };
    case 'POST /admin/storage/signed-upload-url':
      return { status: 200, body: { data: `http://${request.headers.host}/storage/${fileId}/consume-upload-url` } };
    default:
      return { status: 200, body: { data: { id: fileId } } };
  }
}

const bytes = () => Buffer.from('hello');
const stream = () => Readable.from([Buffer.from('hel'), Buffer.from('lo')]);

describe('storage requests match what @instantdb/admin sends for the same call', () => {
  const pair = useParityPair(answer, { appId, adminToken });

  const calls: [string, number, (db: any) => Promise<unknown>][] = [
    ['uploadFile Buffer', 1, (db) => db.storage.uploadFile('photos/a.png', bytes())],
    [
      'uploadFile Buffer with contentType and contentDisposition',
      1,
      (db) =>
        db.storage.uploadFile('photos/a.png', bytes(), {
          contentType: 'image/png',
          contentDisposition: 'attachment; filename="a.png"',
        }),
    ],
    ['uploadFile Uint8Array', 1, (db) => db.storage.uploadFile('a.bin', new Uint8Array([104, 105]))],
    [
      'uploadFile Node stream with fileSize',
      1,
      (db) => db.storage.uploadFile('videos/v.mp4', stream(), { fileSize: 5, contentType: 'video/mp4' }),
    ],
    ['uploadFile as a guest', 1, (db) => db.asUser({ guest: true }).storage.uploadFile('public/a.txt', bytes())],
    ['uploadFile as a token', 1, (db) => db.asUser({ token: refreshToken }).storage.uploadFile('a.txt', bytes())],
    ['delete', 1, (db) => db.storage.delete('photos/a b&c.png')],
    ['delete as an email', 1, (db) => db.asUser({ email: 'a@b.co' }).storage.delete('photos/a.png')],
    ['deleteMany', 1, (db) => db.storage.deleteMany(['images/1.png', 'images/2.png'])],
    ['deleteMany as a guest', 1, (db) => db.asUser({ guest: true }).storage.deleteMany(['x'])],
    ['list (deprecated)', 1, (db) => db.storage.list()],
    ['getDownloadUrl (deprecated)', 1, (db) => db.storage.getDownloadUrl('photos/a b.png')],
    [
      'upload (deprecated): signed URL, then the PUT',
      2,
      (db) => db.storage.upload('old.png', bytes(), { contentType: 'image/png' }),
    ],
    ['upload (deprecated) without a content type', 2, (db) => db.storage.upload('old.bin', bytes())],
  ];

  for (const [label, count, call] of calls) {
    it(label, async () => {
      const mine = await call(pair.ours);
      const myRequests = pair.stub.requests.map((request) => essentials(request, STORAGE_WIRE));
      pair.stub.requests.length = 0;
      const official = await call(pair.theirs);
      expect(myRequests).toHaveLength(count);
      expect(myRequests).toEqual(pair.stub.requests.map((request) => essentials(request, STORAGE_WIRE)));
      expect(mine).toEqual(official);
    });
  }

  it('uploadFile of a web ReadableStream: what the official sends for a Node stream (it throws for a web one)', async () => {
    const mine = await pair.ours.storage.uploadFile('w.bin', Readable.toWeb(stream()) as ReadableStream<Uint8Array>, {
      fileSize: 5,
    });
    const myRequests = pair.stub.requests.map((request) => essentials(request, STORAGE_WIRE));
    pair.stub.requests.length = 0;
    // @instantdb/admin 1.0.67 sets `duplex` only for Node streams, so fetch rejects a web stream body.
    await expect(
      pair.theirs.storage.uploadFile('w.bin', Readable.toWeb(stream()) as any, { fileSize: 5 }),
    ).rejects.toThrow(/duplex/);
    const official = await pair.theirs.storage.uploadFile('w.bin', stream(), { fileSize: 5 });
    expect(myRequests).toEqual(pair.stub.requests.map((request) => essentials(request, STORAGE_WIRE)));
    expect(mine).toEqual(official);
  });
});
