import { Readable } from 'node:stream';
import { init as officialInit } from '@instantdb/admin';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { init } from '../../src/index.ts';
import { startStub, type Recorded, type Stub } from './stub-server.ts';
import { essentials, WIRE_HEADERS } from './wire-essentials.ts';

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

let stub: Stub;

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
      return { status: 200, body: { data: `${stub.url}/storage/${appId}/${fileId}` } };
    case 'POST /admin/storage/signed-upload-url':
      return { status: 200, body: { data: `${stub.url}/storage/${fileId}/consume-upload-url` } };
    default:
      return { status: 200, body: { data: { id: fileId } } };
  }
}

const bytes = () => Buffer.from('hello');
const stream = () => Readable.from([Buffer.from('hel'), Buffer.from('lo')]);

describe('storage requests match what @instantdb/admin sends for the same call', () => {
  let ours: ReturnType<typeof init>;
  let theirs: ReturnType<typeof officialInit>;
  beforeAll(async () => {
    stub = await startStub();
    stub.fallback = answer;
    ours = init({ appId, adminToken, apiURI: stub.url });
    theirs = officialInit({ appId, adminToken, apiURI: stub.url });
  });
  beforeEach(() => {
    stub.requests.length = 0;
  });
  afterAll(() => stub.close());

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
      const mine = await call(ours);
      const myRequests = stub.requests.map((request) => essentials(request, STORAGE_WIRE));
      stub.requests.length = 0;
      const official = await call(theirs);
      expect(myRequests).toHaveLength(count);
      expect(myRequests).toEqual(stub.requests.map((request) => essentials(request, STORAGE_WIRE)));
      expect(mine).toEqual(official);
    });
  }

  it('uploadFile of a web ReadableStream: what the official sends for a Node stream (it throws for a web one)', async () => {
    const mine = await ours.storage.uploadFile('w.bin', Readable.toWeb(stream()) as ReadableStream<Uint8Array>, {
      fileSize: 5,
    });
    const myRequests = stub.requests.map((request) => essentials(request, STORAGE_WIRE));
    stub.requests.length = 0;
    // @instantdb/admin 1.0.67 sets `duplex` only for Node streams, so fetch rejects a web stream body.
    await expect(theirs.storage.uploadFile('w.bin', Readable.toWeb(stream()) as any, { fileSize: 5 })).rejects.toThrow(
      /duplex/,
    );
    const official = await theirs.storage.uploadFile('w.bin', stream(), { fileSize: 5 });
    expect(myRequests).toEqual(stub.requests.map((request) => essentials(request, STORAGE_WIRE)));
    expect(mine).toEqual(official);
  });
});
