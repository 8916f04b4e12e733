import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { init, InstantAbortError, InstantAPIError, InstantNetworkError, InstantTimeoutError } from '../../src/index.ts';
import { startStub, type Stub } from './stub-server.ts';

const appId = crypto.randomUUID();
const adminToken = crypto.randomUUID();
const refreshToken = crypto.randomUUID();
const ok = { status: 200, body: { data: { id: crypto.randomUUID() } } };
const unavailable = { status: 503, body: { type: 'unavailable', message: 'try later' } };

let stub: Stub;
let db: ReturnType<typeof init>;

beforeAll(async () => {
  stub = await startStub();
  stub.fallback = () => ok;
  db = init({ appId, adminToken, apiURI: stub.url, retry: { limit: 2 } });
});
beforeEach(() => {
  stub.requests.length = 0;
});
afterAll(() => stub.close());

describe('storage retries: bytes can be sent again, a stream cannot', () => {
  it('an upload of bytes is retried after a 503, with the same bytes', async () => {
    stub.script(unavailable, ok);
    expect(await db.storage.uploadFile('a.txt', Buffer.from('again'))).toEqual(ok.body);
    expect(stub.requests.map((request) => [request.method, request.body])).toEqual([
      ['PUT', 'again'],
      ['PUT', 'again'],
    ]);
  });

  it('an upload of a stream is sent once: a 503 rejects with it', async () => {
    stub.script(unavailable);
    const error = await db.storage
      .uploadFile('a.bin', Readable.from([Buffer.from('once')]), { fileSize: 4 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstantAPIError);
    expect(error).toMatchObject({ status: 503, type: 'unavailable' });
    expect(stub.requests).toHaveLength(1);
  });

  it('an upload of a stream cut off by the server rejects with InstantNetworkError, sent once', async () => {
    stub.script({ reset: true });
    const error = await db.storage
      .uploadFile('a.bin', Readable.from([Buffer.from('once')]), { fileSize: 4 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstantNetworkError);
    expect(stub.requests).toHaveLength(1);
  });

  it('delete retries only where nothing can have happened: not after a 503, yes after 429 rate-limited', async () => {
    stub.script(unavailable);
    await expect(db.storage.delete('a.txt')).rejects.toMatchObject({ status: 503 });
    expect(stub.requests).toHaveLength(1);
    stub.requests.length = 0;
    stub.script({ status: 429, body: { type: 'rate-limited', message: 'slow down', hint: { 'retry-after': 0 } } }, ok);
    expect(await db.storage.delete('a.txt')).toEqual(ok.body);
    expect(stub.requests).toHaveLength(2);
  });

  it('list and getDownloadUrl retry like reads', async () => {
    stub.script(unavailable, { status: 200, body: { data: [] } });
    expect(await db.storage.list()).toEqual([]);
    stub.script(unavailable, { status: 200, body: { data: null } });
    expect(await db.storage.getDownloadUrl('x')).toBeNull();
    expect(stub.requests).toHaveLength(4);
  });
});

describe('abort and timeout', () => {
  it('an aborted stream upload rejects with InstantAbortError; a slow one with InstantTimeoutError', async () => {
    stub.script({ ...ok, delayMs: 2_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = await db.storage
      .uploadFile('a.bin', Readable.from([Buffer.from('x')]), { fileSize: 1, signal: controller.signal })
      .catch((caught: unknown) => caught);
    expect(aborted).toBeInstanceOf(InstantAbortError);
    stub.script({ ...ok, delayMs: 2_000 });
    const slow = await db.storage
      .uploadFile('a.bin', Readable.from([Buffer.from('x')]), { fileSize: 1, timeout: 100 })
      .catch((caught: unknown) => caught);
    expect(slow).toBeInstanceOf(InstantTimeoutError);
    expect(slow).toMatchObject({ timeoutMs: 100 });
  });
});

describe('secrets in storage errors', () => {
  it('an admin or refresh token echoed by the server is redacted, for bytes and for streams', async () => {
    const echo = {
      status: 400,
      body: {
        type: 'record-not-found',
        message: `no token ${adminToken} or ${refreshToken}`,
        hint: { token: refreshToken },
      },
    };
    const user = db.asUser({ token: refreshToken });
    for (const attempt of [
      () => db.storage.uploadFile('a.txt', Buffer.from('x')),
      () => user.storage.uploadFile('a.bin', Readable.from([Buffer.from('x')]), { fileSize: 1 }),
      () => user.storage.deleteMany(['a']),
    ]) {
      stub.script(echo);
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InstantAPIError);
      const shown = `${String(error)} ${JSON.stringify(error)} ${JSON.stringify((error as InstantAPIError).body)}`;
      expect(shown).not.toContain(adminToken);
      expect(shown).not.toContain(refreshToken);
    }
  });
});
