import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { i, init, InstantAPIError, InstantNetworkError, InstantValidationError } from '../../src/index.ts';
import { objectKey } from '../../src/server/routes/legacy-storage-routes.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';

const run = promisify(execFile);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const schema = i.schema({
  entities: {
    $files: i.entity({
      path: i.string().unique().indexed(),
      url: i.string(),
      size: i.number(),
      'content-type': i.string(),
      'location-id': i.string(),
    }),
    goals: i.entity({ title: i.string() }),
  },
  links: {
    goalPhoto: {
      forward: { on: 'goals', has: 'one', label: 'photo' },
      reverse: { on: '$files', has: 'many', label: 'goals' },
    },
  },
});

/** Guests may see and upload under `public/` only, and delete nothing; the admin is never checked. */
const rules = {
  $files: {
    allow: {
      view: "data.path.startsWith('public/')",
      create: "data.path.startsWith('public/')",
      delete: 'false',
    },
  },
};

let dir: string;
let dbPath: string;
let server: LocalServer;
let db: ReturnType<typeof connect>;

function connect(to: LocalServer) {
  return init({ appId: to.appId, adminToken: to.adminToken, apiURI: to.url, schema });
}

const blobDir = () => `${resolve(dbPath)}.files`;
const blobs = (): string[] => (existsSync(blobDir()) ? readdirSync(blobDir()) : []);

async function fileAt(path: string) {
  const { $files } = await db.query({ $files: { $: { where: { path } } } });
  return $files[0];
}

async function download(url: string): Promise<{ status: number; bytes: Buffer; type: string | null }> {
  const response = await fetch(url);
  return {
    status: response.status,
    bytes: Buffer.from(await response.arrayBuffer()),
    type: response.headers.get('content-type'),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'instant-tx-storage-client-'));
  dbPath = join(dir, 'app.db');
  server = await startLocalServer({ dbPath, schema, rules, maxFileBytes: 128 * 1024 * 1024 });
  db = connect(server);
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('db.storage.uploadFile', () => {
  it('a Buffer: the answer, the $files row, and its url serving the same bytes with their type', async () => {
    const bytes = Buffer.from('a small png, pretend');
    const answer = await db.storage.uploadFile('photos/a.png', bytes, {
      contentType: 'image/png',
      contentDisposition: 'attachment; filename="a.png"',
    });
    expect(answer).toEqual({
      data: { id: expect.stringMatching(UUID), 'location-id': expect.stringMatching(UUID), size: bytes.length },
    });
    const row = await fileAt('photos/a.png');
    expect(row).toMatchObject({
      id: answer.data.id,
      path: 'photos/a.png',
      size: bytes.length,
      'content-type': 'image/png',
      'content-disposition': 'attachment; filename="a.png"',
      'location-id': answer.data['location-id'],
      url: `${server.url}/storage/${server.appId}/${answer.data['location-id']}`,
    });
    const got = await download(row!.url);
    expect(got).toEqual({ status: 200, bytes, type: 'image/png' });
    expect(blobs()).toContain(answer.data['location-id']);
  });

  it('a Node stream from a file (with fileSize), a web ReadableStream, a Blob, a Uint8Array and an ArrayBuffer', async () => {
    const source = join(dir, 'source.bin');
    const content = Buffer.alloc(3 * 1024 * 1024 + 7, 0);
    for (let n = 0; n < content.length; n++) content[n] = (n * 31) & 0xff;
    writeFileSync(source, content);
    const small = new TextEncoder().encode('web stream bytes');
    const cases: [string, unknown, Buffer, object][] = [
      ['kinds/node-stream.bin', createReadStream(source), content, { fileSize: content.length }],
      [
        'kinds/web-stream.txt',
        new ReadableStream({
          start(controller) {
            controller.enqueue(small);
            controller.close();
          },
        }),
        Buffer.from(small),
        { fileSize: small.length },
      ],
      ['kinds/blob.txt', new Blob(['blob bytes'], { type: 'text/plain' }), Buffer.from('blob bytes'), {}],
      ['kinds/u8.bin', new Uint8Array([1, 2, 3]), Buffer.from([1, 2, 3]), {}],
      ['kinds/ab.bin', new Uint8Array([9, 8]).buffer, Buffer.from([9, 8]), {}],
    ];
    for (const [path, data, expected, options] of cases) {
      const answer = await db.storage.uploadFile(path, data as Uint8Array, options);
      expect(answer.data.size).toBe(expected.length);
      const row = await fileAt(path);
      expect((await download(row!.url)).bytes.equals(expected)).toBe(true);
    }
    // A Blob's own type is its content type when none is given, as fetch sends it.
    expect((await fileAt('kinds/blob.txt'))!['content-type']).toBe('text/plain');
    expect((await fileAt('kinds/u8.bin'))!['content-type']).toBe('application/octet-stream');
  });

  it('the same path again: same row, new bytes, the old blob deleted', async () => {
    const first = await db.storage.uploadFile('again.txt', Buffer.from('one'));
    const second = await db.storage.uploadFile('again.txt', Buffer.from('two!'));
    expect(second.data.id).toBe(first.data.id);
    expect(blobs()).not.toContain(first.data['location-id']);
    expect((await download((await fileAt('again.txt'))!.url)).bytes.toString()).toBe('two!');
  });

  it('streams 48 MB through to disk: neither client nor server holds the file (kept memory far below its size)', async () => {
    // In a child process with --expose-gc, so only memory still held after a collection counts, and
    // --single-threaded-gc, so freed buffers are subtracted at once (not by a background sweeper).
    const script = fileURLToPath(new URL('./fixtures/stream-memory.ts', import.meta.url));
    const args = ['--expose-gc', '--single-threaded-gc', script, '48'];
    const { stdout } = await run(process.execPath, args, { timeout: 120_000 });
    const { growth, size, stored } = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    expect(stored).toBe(size);
    expect(growth).toBeLessThan(size! / 4);
  }, 130_000);
});

describe('$files.url is made at read time', () => {
  it('after a restart on the same database and another port, the url names the new port and serves the bytes', async () => {
    const restartDir = mkdtempSync(join(tmpdir(), 'instant-tx-storage-restart-'));
    const path = join(restartDir, 'app.db');
    try {
      const first = await startLocalServer({ dbPath: path, schema });
      const before = connect(first);
      await before.storage.uploadFile('kept.txt', Buffer.from('survives restarts'));
      const oldUrl = (await before.query({ $files: {} })).$files[0]!.url;
      await first.close();
      const second = await startLocalServer({ dbPath: path, schema });
      try {
        expect(second.url).not.toBe(first.url);
        const after = connect(second);
        const newUrl = (await after.query({ $files: {} })).$files[0]!.url;
        expect(newUrl.startsWith(`${second.url}/storage/`)).toBe(true);
        expect(newUrl.slice(second.url.length)).toBe(oldUrl.slice(first.url.length));
        expect((await download(newUrl)).bytes.toString()).toBe('survives restarts');
        // Read workers (queries run off the main thread once they are up) give the same url.
        await new Promise((done) => setTimeout(done, 300));
        for (let n = 0; n < 5; n++) expect((await after.query({ $files: {} })).$files[0]!.url).toBe(newUrl);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(restartDir, { recursive: true, force: true });
    }
  });

  it('the url serves byte ranges (206 with content-range) as S3 does, so players can seek', async () => {
    await db.storage.uploadFile('media/clip.bin', Buffer.from('0123456789'));
    const { url } = (await fileAt('media/clip.bin'))!;
    const get = async (range: string) => {
      const response = await fetch(url, { headers: { range } });
      return {
        status: response.status,
        range: response.headers.get('content-range'),
        text: await response.text(),
      };
    };
    expect(await get('bytes=2-4')).toEqual({ status: 206, range: 'bytes 2-4/10', text: '234' });
    expect(await get('bytes=7-')).toEqual({ status: 206, range: 'bytes 7-9/10', text: '789' });
    expect(await get('bytes=-3')).toEqual({ status: 206, range: 'bytes 7-9/10', text: '789' });
    expect(await get('bytes=8-100')).toEqual({ status: 206, range: 'bytes 8-9/10', text: '89' });
    expect(await get('bytes=0-1,4-5')).toMatchObject({ status: 200, text: '0123456789' });
    expect((await get('bytes=10-')).status).toBe(416);
    expect((await fetch(url)).headers.get('accept-ranges')).toBe('bytes');
  });

  it('fields: url only when asked for; location-id only when asked for', async () => {
    await db.storage.uploadFile('fields.txt', Buffer.from('f'));
    const only = await db.query({ $files: { $: { where: { path: 'fields.txt' }, fields: ['path'] } } });
    expect(Object.keys(only.$files[0]!).sort()).toEqual(['id', 'path']);
    const withUrl = await db.query({ $files: { $: { where: { path: 'fields.txt' }, fields: ['url'] } } });
    expect(Object.keys(withUrl.$files[0]!).sort()).toEqual(['id', 'url']);
    expect(withUrl.$files[0]!.url).toMatch(new RegExp(`^${server.url}/storage/${server.appId}/`));
  });
});

describe('deleting', () => {
  it('delete(path): the row and its blob go; a missing path answers id null', async () => {
    const { data } = await db.storage.uploadFile('del/one.txt', Buffer.from('1'));
    const url = (await fileAt('del/one.txt'))!.url;
    expect(await db.storage.delete('del/one.txt')).toEqual({ data: { id: data.id } });
    expect(await fileAt('del/one.txt')).toBeUndefined();
    expect(blobs()).not.toContain(data['location-id']);
    expect((await download(url)).status).toBe(404);
    expect(await db.storage.delete('del/one.txt')).toEqual({ data: { id: null } });
  });

  it('deleteMany(paths): the ids of the files that existed; rows and blobs gone', async () => {
    const a = await db.storage.uploadFile('del/a.txt', Buffer.from('a'));
    const b = await db.storage.uploadFile('del/b.txt', Buffer.from('b'));
    const answer = await db.storage.deleteMany(['del/a.txt', 'del/missing.txt', 'del/b.txt']);
    expect([...answer.data.ids!].sort()).toEqual([a.data.id, b.data.id].sort());
    expect(blobs()).not.toContain(a.data['location-id']);
    expect(blobs()).not.toContain(b.data['location-id']);
    expect(await fileAt('del/a.txt')).toBeUndefined();
  });

  it('deleting the $files row through transact deletes the blob too', async () => {
    const { data } = await db.storage.uploadFile('del/tx.txt', Buffer.from('t'));
    await db.transact(db.tx.$files[data.id]!.delete());
    expect(blobs()).not.toContain(data['location-id']);
  });
});

describe('links', () => {
  it('a goal links its photo ($files); queries go through the link both ways, with the url', async () => {
    const { data } = await db.storage.uploadFile('photos/goal.png', Buffer.from('goal photo'), {
      contentType: 'image/png',
    });
    const goalId = crypto.randomUUID();
    await db.transact(db.tx.goals[goalId]!.update({ title: 'Get fit' }).link({ photo: data.id }));
    const { goals } = await db.query({ goals: { $: { where: { id: goalId } }, photo: {} } });
    expect(goals[0]!.photo).toMatchObject({ id: data.id, path: 'photos/goal.png' });
    expect((await download(goals[0]!.photo!.url)).bytes.toString()).toBe('goal photo');
    const { $files } = await db.query({ $files: { $: { where: { path: 'photos/goal.png' } }, goals: {} } });
    expect($files[0]!.goals.map((goal) => goal.id)).toEqual([goalId]);
    const byLink = await db.query({ goals: { $: { where: { 'photo.path': 'photos/goal.png' } } } });
    expect(byLink.goals.map((goal) => goal.id)).toEqual([goalId]);
  });
});

describe('$files rules (guests: view and create under public/ only, never delete)', () => {
  const guest = () => db.asUser({ guest: true });

  it('a guest sees only the files the view rule allows', async () => {
    await db.storage.uploadFile('public/seen.txt', Buffer.from('p'));
    await db.storage.uploadFile('private/hidden.txt', Buffer.from('h'));
    const { $files } = await guest().query({ $files: {} });
    const paths = $files.map((file) => file.path);
    expect(paths).toContain('public/seen.txt');
    expect(paths.every((path) => path.startsWith('public/'))).toBe(true);
  });

  it('a guest uploads under public/, is denied elsewhere with Instant’s error, and nothing is written', async () => {
    const ok = await guest().storage.uploadFile('public/guest.txt', Buffer.from('g'));
    expect(ok.data.id).toMatch(UUID);
    const before = blobs().length;
    const denied = await guest()
      .storage.uploadFile('private/guest.txt', Buffer.from('g'))
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(InstantAPIError);
    expect(denied).toMatchObject({
      status: 400,
      type: 'permission-denied',
      body: { message: 'Permission denied: not has-storage-permission?' },
      hint: { input: ['$files', 'create'], expected: 'has-storage-permission?' },
    });
    expect(blobs().length).toBe(before);
    expect(await fileAt('private/guest.txt')).toBeUndefined();
  });

  it('through a link, a guest sees a linked file only when its view rule allows', async () => {
    const open = await db.storage.uploadFile('public/linked.png', Buffer.from('o'));
    const closed = await db.storage.uploadFile('private/linked.png', Buffer.from('c'));
    const [openGoal, closedGoal] = [crypto.randomUUID(), crypto.randomUUID()];
    await db.transact([
      db.tx.goals[openGoal]!.update({ title: 'open' }).link({ photo: open.data.id }),
      db.tx.goals[closedGoal]!.update({ title: 'closed' }).link({ photo: closed.data.id }),
    ]);
    const { goals } = await guest().query({
      goals: { $: { where: { id: { $in: [openGoal, closedGoal] } } }, photo: {} },
    });
    const photoOf = (goalId: string) => goals.find((goal) => goal.id === goalId)?.photo;
    expect(photoOf(openGoal)).toMatchObject({ id: open.data.id, url: expect.stringContaining('/storage/') });
    // The closed file's row (its path, its url) is not shown through the link.
    expect(typeof photoOf(closedGoal) === 'object' && photoOf(closedGoal) !== null).toBe(false);
    expect(JSON.stringify(goals)).not.toContain('private/linked.png');
    expect(JSON.stringify(goals)).not.toContain(closed.data['location-id']!);
  });

  it('a guest may not delete (delete rule false), one file or many; the files stay', async () => {
    for (const attempt of [
      () => guest().storage.delete('public/seen.txt'),
      () => guest().storage.deleteMany(['public/seen.txt']),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toMatchObject({ type: 'permission-denied', hint: { input: ['$files', 'delete'] } });
    }
    expect(await fileAt('public/seen.txt')).toBeDefined();
  });
});

describe('hostile paths: stored as opaque keys, or refused; never a file outside the blob folder', () => {
  it('../../etc/passwd, absolute paths, backslashes and __proto__ are names of rows; blobs are only UUIDs', async () => {
    const paths = ['../../etc/passwd', '/etc/passwd', '..\\..\\win.ini', 'a/../../../b', '__proto__', 'constructor'];
    for (const path of paths) {
      const { data } = await db.storage.uploadFile(path, Buffer.from(`bytes of ${path}`));
      const row = await fileAt(path);
      expect(row).toMatchObject({ id: data.id, path });
      expect((await download(row!.url)).bytes.toString()).toBe(`bytes of ${path}`);
    }
    expect(blobs().every((name) => UUID.test(name))).toBe(true);
    expect(readdirSync(dir).every((name) => name.startsWith('app.db') || name === 'source.bin')).toBe(true);
    expect(Object.getPrototypeOf((await fileAt('__proto__'))!)).toBe(Object.prototype);
    expect((await db.storage.deleteMany(paths)).data.ids).toHaveLength(paths.length);
  });

  it('an empty or blank path, or one with NUL, is refused by the client before anything is sent', async () => {
    for (const path of ['', '   ', 'a\u0000b']) {
      for (const call of [
        () => db.storage.uploadFile(path, Buffer.from('x')),
        () => db.storage.delete(path),
        () => db.storage.deleteMany([path]),
      ])
        await expect(call()).rejects.toBeInstanceOf(InstantValidationError);
    }
  });

  it('over raw HTTP: a NUL path is Instant’s null-bytes validation-failed, a blank one param-malformed', async () => {
    const headers = { 'app-id': server.appId, authorization: `Bearer ${server.adminToken}` };
    const nul = await fetch(`${server.url}/admin/storage/files?filename=a%00b`, { method: 'DELETE', headers });
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({
      type: 'validation-failed',
      hint: { condition: 'untranslatable-character' },
    });
    const many = await fetch(`${server.url}/admin/storage/files/delete`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ filenames: ['ok', 'a\u0000b'] }),
    });
    expect((await many.json()).type).toBe('validation-failed');
    const blank = await fetch(`${server.url}/admin/storage/upload`, {
      method: 'PUT',
      headers: { ...headers, path: '' },
      body: 'x',
    });
    expect(await blank.json()).toMatchObject({ type: 'param-malformed', hint: { in: ['headers', 'path'] } });
  });
});

describe('a file larger than maxFileBytes', () => {
  it('is refused with 413 payload-too-large (bytes or stream), with no row and no blob left', async () => {
    const smallDir = mkdtempSync(join(tmpdir(), 'instant-tx-storage-limit-'));
    const small = await startLocalServer({ dbPath: join(smallDir, 'app.db'), maxFileBytes: 1024 });
    try {
      const client = connect(small);
      const expected = {
        status: 413,
        type: 'payload-too-large',
        body: { message: 'File is larger than 1024 bytes.' },
        hint: { 'max-bytes': 1024 },
      };
      const tooBig = Buffer.alloc(1025, 1);
      await expect(client.storage.uploadFile('big.bin', tooBig)).rejects.toMatchObject(expected);
      await expect(
        client.storage.uploadFile('big.bin', Readable.from([tooBig]), { fileSize: tooBig.length }),
      ).rejects.toMatchObject(expected);
      // Chunked, with no declared size: refused once the 1025th byte arrives.
      await expect(
        client.storage.uploadFile('big.bin', Readable.from([tooBig.subarray(0, 1000), tooBig.subarray(1000)]), {
          fileSize: 1025,
        }),
      ).rejects.toMatchObject({ status: 413 });
      expect(await client.storage.uploadFile('fits.bin', Buffer.alloc(1024, 1))).toMatchObject({
        data: { size: 1024 },
      });
      const { $files } = await client.query({ $files: {} });
      expect($files.map((file) => file.path)).toEqual(['fits.bin']);
      expect(readdirSync(join(smallDir, 'app.db.files'))).toHaveLength(1);
    } finally {
      await small.close();
      rmSync(smallDir, { recursive: true, force: true });
    }
  });
});

describe('an upload cut short', () => {
  it('a stream shorter or longer than its fileSize: InstantNetworkError, nothing kept, no server error, still serving', async () => {
    const cutDir = mkdtempSync(join(tmpdir(), 'instant-tx-storage-cut-'));
    const lines: string[] = [];
    const cut = await startLocalServer({ dbPath: join(cutDir, 'app.db'), log: (line) => lines.push(line) });
    try {
      const client = connect(cut);
      for (const fileSize of [10, 2]) {
        const error = await client.storage
          .uploadFile('cut.bin', Readable.from([Buffer.from('abcde')]), { fileSize })
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InstantNetworkError);
      }
      await new Promise((done) => setTimeout(done, 200));
      const folder = join(cutDir, 'app.db.files');
      expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
      expect(lines).toEqual([]);
      expect((await client.query({ $files: {} })).$files).toEqual([]);
      expect((await client.storage.uploadFile('after.txt', Buffer.from('ok'))).data.size).toBe(2);
    } finally {
      await cut.close();
      rmSync(cutDir, { recursive: true, force: true });
    }
  });
});

describe('the deprecated calls', () => {
  it('upload(path, bytes) → true; the file is stored with its content type', async () => {
    expect(await db.storage.upload('legacy/up.txt', Buffer.from('legacy'), { contentType: 'text/plain' })).toBe(true);
    const row = await fileAt('legacy/up.txt');
    expect(row).toMatchObject({ size: 6, 'content-type': 'text/plain', 'content-disposition': 'inline' });
    expect((await download(row!.url)).bytes.toString()).toBe('legacy');
  });

  it('list() → Instant’s legacy rows: key <app>/<bin>/<location>, name, size, etag and last_modified null', async () => {
    const { data } = await db.storage.uploadFile('legacy/listed.txt', Buffer.from('12345'));
    const files = await db.storage.list();
    expect(files).toContainEqual({
      key: objectKey(server.appId, data['location-id']!),
      name: 'legacy/listed.txt',
      size: 5,
      etag: null,
      last_modified: null,
    });
    expect(files.every((file) => /^[0-9a-f-]{36}\/\d\/[0-9a-f-]{36}$/.test(file.key))).toBe(true);
  });

  it('objectKey bins like Java’s String.hashCode, Math.abs and mod 10', () => {
    // "abc".hashCode() = 96354; "polygenelubricants".hashCode() = Integer.MIN_VALUE (abs stays negative, mod → 2).
    expect(objectKey('app', 'abc')).toBe('app/4/abc');
    expect(objectKey('app', 'polygenelubricants')).toBe('app/2/polygenelubricants');
  });

  it('getDownloadUrl(path) → the url serving the bytes; null for a path with no file', async () => {
    await db.storage.uploadFile('legacy/dl.txt', Buffer.from('download me'));
    const url = await db.storage.getDownloadUrl('legacy/dl.txt');
    expect(url).toBe((await fileAt('legacy/dl.txt'))!.url);
    expect((await download(url!)).bytes.toString()).toBe('download me');
    expect(await db.storage.getDownloadUrl('legacy/none.txt')).toBeNull();
  });

  it('an upload URL works once: used again (or made up) it is Instant’s validation-failed', async () => {
    const headers = {
      'app-id': server.appId,
      authorization: `Bearer ${server.adminToken}`,
      'content-type': 'application/json',
    };
    const made = await fetch(`${server.url}/admin/storage/signed-upload-url`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ app_id: server.appId, filename: 'legacy/once.txt' }),
    });
    const { data: url } = await made.json();
    expect(url).toMatch(new RegExp(`^${server.url}/storage/[0-9a-f-]{36}/consume-upload-url$`));
    expect((await fetch(url, { method: 'PUT', body: 'first' })).status).toBe(200);
    const again = await fetch(url, { method: 'PUT', body: 'second' });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      type: 'validation-failed',
      message: 'Validation failed for app-upload-url',
      hint: {
        'data-type': 'app-upload-url',
        input: url.split('/').at(-2),
        errors: 'The upload URL is expired or invalid.',
      },
    });
    expect((await download((await fileAt('legacy/once.txt'))!.url)).bytes.toString()).toBe('first');
  });

  it('list, getDownloadUrl and upload need the admin token (as the official SDK)', async () => {
    const guestOnly = init({ appId: server.appId, apiURI: server.url });
    await expect(guestOnly.storage.list()).rejects.toBeInstanceOf(InstantValidationError);
    await expect(guestOnly.asUser({ guest: true }).storage.getDownloadUrl('x')).rejects.toBeInstanceOf(
      InstantValidationError,
    );
  });
});

describe('arguments checked before anything is sent', () => {
  it('a stream without fileSize, data of the wrong kind, a path or header HTTP cannot carry', async () => {
    const bad: [string, () => Promise<unknown>][] = [
      ['fileSize', () => db.storage.uploadFile('s.bin', Readable.from([Buffer.from('x')]))],
      ['data', () => db.storage.uploadFile('s.txt', 'text' as unknown as Uint8Array)],
      ['path', () => db.storage.uploadFile('caf\u00e9/\u65e5\u672c.png', Buffer.from('x'))],
      ['path', () => db.storage.uploadFile('a\r\nb', Buffer.from('x'))],
      ['contentType', () => db.storage.uploadFile('ok.txt', Buffer.from('x'), { contentType: 'a\nb' })],
      ['fileSize', () => db.storage.uploadFile('ok.txt', Buffer.from('x'), { fileSize: -1 })],
    ];
    for (const [field, call] of bad) {
      const error = await call().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InstantValidationError);
      expect((error as InstantValidationError).issues[0]!.path).toContain(field);
    }
    expect(await fileAt('s.bin')).toBeUndefined();
  });
});

describe('secrets', () => {
  it('a wrong admin token never appears in the error', async () => {
    const token = crypto.randomUUID();
    const wrong = init({ appId: server.appId, adminToken: token, apiURI: server.url });
    const error = await wrong.storage.uploadFile('x.txt', Buffer.from('x')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstantAPIError);
    const shown = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`;
    expect(shown).not.toContain(token);
    const streamed = await wrong.storage
      .uploadFile('x.txt', Readable.from([Buffer.from('x')]), { fileSize: 1 })
      .catch((caught: unknown) => caught);
    expect(streamed).toMatchObject({ type: 'record-not-found' });
    expect(`${String(streamed)} ${JSON.stringify(streamed)}`).not.toContain(token);
  });
});
