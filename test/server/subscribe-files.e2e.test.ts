import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../src/server/index.ts';
import { openSse } from './sse-reader.ts';

// `$files.url` is derived when a query runs (from the server's own address), so a live query's rows
// carry it as `/admin/query`'s do, and a file uploaded while subscribed arrives with its url.
describe('a live query over $files', () => {
  let server: LocalServer;
  const admin = () => ({
    'content-type': 'application/json',
    'app-id': server.appId,
    authorization: `Bearer ${server.adminToken}`,
  });
  const upload = (path: string, text: string) =>
    fetch(`${server.url}/admin/storage/upload`, {
      method: 'PUT',
      headers: {
        'app-id': server.appId,
        authorization: `Bearer ${server.adminToken}`,
        path,
        'content-type': 'text/plain',
      },
      body: text,
    });

  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(() => server.close());

  it('has each file url in the first result and in the refresh after an upload', async () => {
    expect((await upload('a.txt', 'first')).status).toBe(200);
    const stream = await openSse(`${server.url}/admin/subscribe-query`, admin(), { query: { $files: {} } });
    try {
      expect((await stream.next()).op).toBe('sse-init');
      const first = await stream.next();
      expect(first.op).toBe('add-query-ok');
      const [file] = first.result.$files;
      expect(file).toMatchObject({ path: 'a.txt', url: expect.stringMatching(new RegExp(`^${server.url}/storage/`)) });
      expect(await (await fetch(file.url)).text()).toBe('first');
      expect((await upload('b.txt', 'second')).status).toBe(200);
      const refresh = await stream.next();
      expect(refresh.op).toBe('refresh-ok');
      const files = refresh.computations[0]['instaql-result'].$files as { path: string; url: string }[];
      const second = files.find((row) => row.path === 'b.txt')!;
      expect(await (await fetch(second.url)).text()).toBe('second');
    } finally {
      stream.close();
    }
  });
});
