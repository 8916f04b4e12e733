import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@instantdb/admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PATH_LENGTH } from '../../src/server/routes/storage-routes.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';

/** The upload limit this file's server is started with. */
const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let dir: string;
let server: LocalServer;
let blobDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'instant-tx-storage-'));
  server = await startLocalServer({ dbPath: join(dir, 'app.db'), maxFileBytes: MAX_UPLOAD_BYTES });
  blobDir = join(dir, 'app.db.files');
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const admin = (): Record<string, string> => ({
  'app-id': server.appId,
  authorization: `Bearer ${server.adminToken}`,
});

async function upload(
  headers: Record<string, string>,
  body: string | Uint8Array<ArrayBuffer> = 'hello, file',
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/admin/storage/upload`, { method: 'PUT', headers, body });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...admin(), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

async function fileRow(path: string): Promise<any> {
  const answer = await call('POST', '/admin/query', { query: { $files: { $: { where: { path } } } } });
  return answer.body.$files[0];
}

/**
 * Sends a PUT with `node:http` declaring `declared` bytes but writing only `sent` of them, and resolves
 * with the status as soon as the server answers (it must not wait for the rest).
 */
function uploadDeclaring(declared: number, sent: number, path = 'huge.bin'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/admin/storage/upload`, {
      method: 'PUT',
      headers: { ...admin(), path, 'content-length': String(declared) },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, text });
        req.destroy();
      });
    });
    req.on('error', (error) => (error.message.includes('EPIPE') ? undefined : reject(error)));
    req.write(Buffer.alloc(sent, 1));
  });
}

const blobs = (): string[] => (existsSync(blobDir) ? readdirSync(blobDir) : []);

describe('PUT /admin/storage/upload', () => {
  it('stores the bytes beside the database and creates the $files row → {data: {id, location-id, size}}', async () => {
    const answer = await upload({ ...admin(), path: 'photos/a.txt', 'content-type': 'text/plain' });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({
      id: expect.stringMatching(UUID),
      'location-id': expect.stringMatching(UUID),
      size: 11,
    });
    const row = await fileRow('photos/a.txt');
    expect(row).toMatchObject({
      id: answer.body.data.id,
      path: 'photos/a.txt',
      size: 11,
      'content-type': 'text/plain',
      'content-disposition': 'inline',
      'location-id': answer.body.data['location-id'],
      url: `${server.url}/storage/${server.appId}/${answer.body.data['location-id']}`,
    });
    expect(blobs()).toContain(answer.body.data['location-id']);
    const download = await fetch(row.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/plain');
    expect(download.headers.get('content-disposition')).toBe('inline');
    expect(await download.text()).toBe('hello, file');
  });

  it('defaults the content type to application/octet-stream and keeps a given disposition', async () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const answer = await upload({ ...admin(), path: 'raw.bin', 'content-disposition': 'attachment' }, bytes);
    expect(answer.status).toBe(200);
    const row = await fileRow('raw.bin');
    expect(row).toMatchObject({
      size: 4,
      'content-type': 'application/octet-stream',
      'content-disposition': 'attachment',
    });
    expect(new Uint8Array(await (await fetch(row.url)).arrayBuffer())).toEqual(bytes);
  });

  it('the same path again keeps the row, gives it a new location and deletes the old blob', async () => {
    const first = await upload({ ...admin(), path: 'again.txt' }, 'one');
    const old = await fileRow('again.txt');
    const second = await upload({ ...admin(), path: 'again.txt' }, 'two!');
    expect(second.body.data.id).toBe(first.body.data.id);
    expect(second.body.data['location-id']).not.toBe(first.body.data['location-id']);
    expect(await fileRow('again.txt')).toMatchObject({ size: 4, 'location-id': second.body.data['location-id'] });
    expect(blobs()).not.toContain(first.body.data['location-id']);
    expect((await fetch(old.url)).status).toBe(404);
  });

  it('paths with .., absolute paths and backslashes are only names: blobs are named by location id', async () => {
    for (const path of ['../../escape.txt', '/etc/passwd', '..\\..\\win.txt']) {
      const answer = await upload({ ...admin(), path });
      expect(answer.status).toBe(200);
      expect((await fileRow(path))['location-id']).toBe(answer.body.data['location-id']);
    }
    expect(blobs().every((name) => UUID.test(name))).toBe(true);
    expect(readdirSync(dir).every((name) => name.startsWith('app.db'))).toBe(true);
  });
});

describe('deleting files', () => {
  it('a transact delete removes the row and, after commit, its blob', async () => {
    const answer = await upload({ ...admin(), path: 'doomed.txt' });
    const { id, 'location-id': location } = answer.body.data;
    expect((await call('POST', '/admin/transact', { steps: [['delete', '$files', id]] })).status).toBe(200);
    expect(await fileRow('doomed.txt')).toBeUndefined();
    expect(blobs()).not.toContain(location);
    expect((await fetch(`${server.url}/storage/${server.appId}/${location}`)).status).toBe(404);
  });

  it('a failed transaction keeps the blob', async () => {
    const answer = await upload({ ...admin(), path: 'kept.txt' });
    const steps = [
      ['delete', '$files', answer.body.data.id],
      ['update', '$files', answer.body.data.id, { size: 1 }],
    ];
    expect((await call('POST', '/admin/transact', { steps })).status).toBe(400);
    expect(blobs()).toContain(answer.body.data['location-id']);
  });

  it('DELETE /admin/storage/files?filename= → {data: {id}} (null when missing); POST …/files/delete → {data: {ids}}', async () => {
    const one = await upload({ ...admin(), path: 'del/one.txt' });
    const two = await upload({ ...admin(), path: 'del/two.txt' });
    const deleted = await call('DELETE', `/admin/storage/files?filename=${encodeURIComponent('del/one.txt')}`);
    expect(deleted).toEqual({ status: 200, body: { data: { id: one.body.data.id } } });
    expect(await call('DELETE', '/admin/storage/files?filename=nope')).toEqual({
      status: 200,
      body: { data: { id: null } },
    });
    const bulk = await call('POST', '/admin/storage/files/delete', { filenames: ['del/two.txt', 'nope'] });
    expect(bulk).toEqual({ status: 200, body: { data: { ids: [two.body.data.id] } } });
    expect(blobs()).not.toContain(one.body.data['location-id']);
    expect(blobs()).not.toContain(two.body.data['location-id']);
  });
});

describe('hostile uploads: Instant-shaped 4xx, nothing written, the server keeps serving', () => {
  const before = { files: 0, blobs: 0 };
  const count = async () =>
    ((await call('POST', '/admin/query', { query: { $files: {} } })).body.$files as unknown[]).length;

  beforeAll(async () => {
    before.files = await count();
    before.blobs = blobs().length;
  });

  afterAll(async () => {
    expect(await count()).toBe(before.files);
    expect(blobs().length).toBe(before.blobs);
  });

  it('a missing path header → param-missing', async () => {
    const answer = await upload(admin());
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: 'param-missing', hint: { in: ['headers', 'path'] } });
  });

  it('a blank path or one over the length limit → param-malformed (the long one not echoed)', async () => {
    expect((await upload({ ...admin(), path: '   ' })).body).toMatchObject({ type: 'param-malformed' });
    const long = await upload({ ...admin(), path: 'p'.repeat(10_000) });
    expect(long.status).toBe(400);
    expect(long.body).toEqual({
      type: 'param-malformed',
      message: 'Malformed parameter: ["headers" "path"]',
      hint: { in: ['headers', 'path'], 'max-length': MAX_PATH_LENGTH },
    });
  });

  it('a wrong admin token → record-not-found; a guest without a $files create rule → permission-denied', async () => {
    const wrong = await upload({ ...admin(), authorization: `Bearer ${crypto.randomUUID()}`, path: 'x.txt' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.type).toBe('record-not-found');
    const guest = await upload({ 'app-id': server.appId, 'as-guest': 'true', path: 'x.txt' });
    expect(guest.status).toBe(400);
    expect(guest.body).toEqual({
      type: 'permission-denied',
      message: 'Permission denied: not has-storage-permission?',
      hint: { input: ['$files', 'create'], expected: 'has-storage-permission?' },
    });
  });

  it('an empty body is an empty file, as in Instant (its body is always a stream)', async () => {
    const answer = await upload({ ...admin(), path: 'empty.txt' }, '');
    expect(answer.status).toBe(200);
    expect(answer.body.data.size).toBe(0);
    const row = await fileRow('empty.txt');
    expect((await fetch(row.url)).headers.get('content-length')).toBe('0');
    expect((await call('DELETE', '/admin/storage/files?filename=empty.txt')).status).toBe(200);
  });

  it('a declared 100 MB body → 413 after one chunk, without reading the rest', async () => {
    const answer = await uploadDeclaring(100 * 1024 * 1024, 64 * 1024);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toMatchObject({
      type: 'payload-too-large',
      hint: { 'max-bytes': MAX_UPLOAD_BYTES },
    });
  });

  it('a streamed (chunked) body past the limit → 413, its partial blob deleted', async () => {
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_UPLOAD_BYTES + 4 * chunk.length) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const response = await fetch(`${server.url}/admin/storage/upload`, {
      method: 'PUT',
      headers: { ...admin(), path: 'chunked.bin' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(
      (await call('POST', '/admin/query', { query: { $files: { $: { where: { path: 'chunked.bin' } } } } })).body
        .$files,
    ).toEqual([]);
  });

  it('unknown download addresses → 404', async () => {
    for (const tail of [
      `${server.appId}/${crypto.randomUUID()}`,
      `${crypto.randomUUID()}/x`,
      '../app.db',
      `${server.appId}/../../app.db`,
    ]) {
      expect((await fetch(`${server.url}/storage/${tail}`)).status).toBe(404);
    }
  });
});

describe('@instantdb/admin db.storage.uploadFile against the local server', () => {
  it('uploads a buffer, and the row and url are what the SDK user expects', async () => {
    const db = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
    const bytes = Buffer.from('png-ish bytes');
    const answer = await db.storage.uploadFile('sdk/demo.png', bytes, { contentType: 'image/png' });
    expect(answer.data.id).toMatch(UUID);
    const { $files } = await db.query({ $files: { $: { where: { path: 'sdk/demo.png' } } } });
    expect($files[0]).toMatchObject({
      id: answer.data.id,
      path: 'sdk/demo.png',
      'content-type': 'image/png',
      size: bytes.length,
    });
    const download = await fetch($files[0]!.url);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    await db.transact(db.tx.$files[answer.data.id]!.delete());
    expect((await fetch($files[0]!.url)).status).toBe(404);
  });
});

describe('an in-memory server', () => {
  it('keeps uploads in a temporary folder and serves them', async () => {
    const memory = await startLocalServer();
    try {
      const response = await fetch(`${memory.url}/admin/storage/upload`, {
        method: 'PUT',
        headers: { 'app-id': memory.appId, authorization: `Bearer ${memory.adminToken}`, path: 'm.txt' },
        body: 'in memory',
      });
      const { data } = await response.json();
      expect(await (await fetch(`${memory.url}/storage/${memory.appId}/${data['location-id']}`)).text()).toBe(
        'in memory',
      );
    } finally {
      await memory.close();
    }
  });
});
