import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { handleRequest } from '../../src/server/http/handle-request.ts';
import { MAX_BODY_DEPTH } from '../../src/server/http/read-json-body.ts';
import { Storage } from '../../src/server/store/storage.ts';
import { useServer, uuid } from './helpers.ts';

const nested = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

describe('hostile bodies', () => {
  const api = useServer();

  it('a value nested 10,000 deep is a 400 naming the limit; nothing is written and the server stays up', async () => {
    const id = uuid();
    const body = `{"steps": [["update", "goals", "${id}", {"deep": ${nested(10_000)}}]]}`;
    const answer = await api.call('POST', '/admin/transact', body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      type: 'param-malformed',
      message: `The request body is nested deeper than ${MAX_BODY_DEPTH} levels.`,
      hint: { in: ['body'], 'max-depth': MAX_BODY_DEPTH },
    });
    const query = await api.query({ goals: { $: { where: { id } } } });
    expect(query.status).toBe(200);
    expect(query.body.goals).toEqual([]);
  });

  it('a query nested 10,000 deep is refused the same way', async () => {
    let node = '{}';
    for (let level = 0; level < 10_000; level++) node = `{"todos": ${node}}`;
    const answer = await api.call('POST', '/admin/query', `{"query": {"goals": ${node}}}`);
    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe('param-malformed');
  });

  it('brackets inside strings do not count towards the depth', async () => {
    const answer = await api.transact([['update', 'goals', uuid(), { title: '['.repeat(5000) }]]);
    expect(answer.status).toBe(200);
  });

  it('an error about one bad step in a 31 MB body answers with a small excerpt, not the body', async () => {
    const good = Array.from({ length: 150_000 }, () => ['update', 'goals', uuid(), { title: 'x'.repeat(150) }]);
    const steps = [...good, ['update', 'goals', 'not-a-uuid', {}]];
    const body = JSON.stringify({ steps });
    expect(body.length).toBeGreaterThan(30_000_000);
    const answer = await api.call('POST', '/admin/transact', body);
    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe('validation-failed');
    expect(answer.text.length).toBeLessThan(20_000);
    expect(JSON.stringify(answer.body.hint)).toContain('more');
  });
});

describe('request targets', () => {
  const api = useServer();

  it('reads a path starting with // as a path: `//` and `//[` are a 404, not a 500, and `//x/admin/query` no route', async () => {
    for (const path of ['//', '//[', '////', '//x/admin/query']) {
      const answer = await api.call('POST', path, { query: { goals: {} } });
      expect([path, answer.status, answer.body]).toEqual([
        path,
        404,
        { message: "Oops! We couldn't match this route." },
      ]);
    }
    expect((await api.query({ goals: {} })).status).toBe(200);
  });
});

describe('the error boundary', () => {
  it('answers a bug with a logged 500 carrying a trace id, and keeps serving', async () => {
    const storage = Storage.open(':memory:');
    const lines: string[] = [];
    const app = { appId: uuid(), adminToken: uuid() };
    const broken = {
      app,
      storage,
      permissions: {} as never,
      get users(): never {
        throw new TypeError('the user store is broken');
      },
    };
    const server = createServer(
      (req, res) => void handleRequest(req, res, broken as never, (line) => lines.push(line)),
    );
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const headers = {
      'content-type': 'application/json',
      'app-id': app.appId,
      authorization: `Bearer ${app.adminToken}`,
    };
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await fetch(`${url}/admin/refresh_tokens`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ email: 'a@b.co' }),
        });
        const body = (await response.json()) as Record<string, unknown>;
        expect(response.status).toBe(500);
        expect(body).toMatchObject({ type: 'unknown', message: 'Something went wrong. Sorry about this!', hint: {} });
        expect(lines.at(-1)).toContain(String(body['trace-id']));
        expect(lines.at(-1)).toContain('the user store is broken');
        expect(lines.at(-1)).not.toContain(app.adminToken);
      }
      const notFound = await fetch(`${url}/nope`);
      expect(notFound.status).toBe(404);
    } finally {
      await new Promise((done) => server.close(done));
      storage.close();
    }
  });
});
