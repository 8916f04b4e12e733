// The explorer's doors, over plain HTTP (no browser): the page, its files and its API refuse requests
// without a session, from another origin or host, and with a used or expired login link; the admin
// token never shows up in anything the explorer sends or logs.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../src/server/index.ts';
import { zenecaSteps } from './zeneca.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request (node:http, so that Host, Origin and Cookie are exactly what the test says). */
function send(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<Answer>((done, fail) => {
    const req = request(`${url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', fail);
    req.end(body);
  });
}

const logs: string[] = [];
let server: LocalServer;
let cookie: string;
const api = (path: string, headers: Record<string, string> = {}, body?: unknown) =>
  send(
    server.url,
    body === undefined ? 'GET' : 'POST',
    `/explorer/api/${path}`,
    {
      cookie,
      origin: server.url,
      'x-explorer-request': '1',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body === undefined ? undefined : JSON.stringify(body),
  );
const everything: Answer[] = [];
const record = (answer: Answer) => {
  everything.push(answer);
  return answer;
};

/** Redeems a login link; the session cookie (`name=value`). */
async function logIn(link: string): Promise<string> {
  const answer = record(await send(server.url, 'GET', new URL(link).pathname + new URL(link).search));
  expect(answer.status).toBe(303);
  return String(answer.headers['set-cookie']).split(';')[0]!;
}

beforeAll(async () => {
  server = await startLocalServer({
    rules: { bookshelves: { allow: { view: 'false' } }, books: { allow: { update: 'false' } } },
    log: (line) => logs.push(line),
  });
  await fetch(`${server.url}/admin/transact`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'app-id': server.appId,
      authorization: `Bearer ${server.adminToken}`,
    },
    body: JSON.stringify({ steps: zenecaSteps() }),
  });
  cookie = await logIn(server.explorerUrl!);
});

afterAll(async () => {
  await server.close();
});

const query = { users: { $: { fields: ['handle'] } }, bookshelves: {} };

describe('the explorer login', () => {
  it('a link works once: an HttpOnly, SameSite=Strict cookie scoped to /explorer, then a redirect without the secret', async () => {
    const link = server.explorerLink()!;
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/explorer\/login\?secret=[\w-]{43}$/);
    const first = record(await send(server.url, 'GET', new URL(link).pathname + new URL(link).search));
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/explorer/');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/^instant_tx_explorer_\d+=[\w-]{43}; Path=\/explorer; HttpOnly; SameSite=Strict$/);
    expect(first.headers['referrer-policy']).toBe('same-origin');
    const again = record(await send(server.url, 'GET', new URL(link).pathname + new URL(link).search));
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).toContain('This login link has expired or was already used.');
  });

  it('an expired link, a made-up one and none at all open no session', async () => {
    const quick = await startLocalServer({ explorer: { loginTtlMs: 20 } });
    try {
      const link = new URL(quick.explorerLink()!);
      await new Promise((done) => setTimeout(done, 60));
      const expired = await send(quick.url, 'GET', link.pathname + link.search);
      expect(expired.status).toBe(401);
      expect(expired.headers['set-cookie']).toBeUndefined();
      for (const path of ['/explorer/login?secret=AAAA', '/explorer/login', '/explorer/login?secret=']) {
        const answer = await send(quick.url, 'GET', path);
        expect(answer.status, path).toBe(401);
        expect(answer.headers['set-cookie'], path).toBeUndefined();
      }
    } finally {
      await quick.close();
    }
  });

  it('logging out closes the session', async () => {
    const session = await logIn(server.explorerLink()!);
    expect((await api('schema', { cookie: session })).status).toBe(200);
    const out = await send(server.url, 'POST', '/explorer/logout', { cookie: session, origin: server.url });
    expect(out.status).toBe(303);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await api('schema', { cookie: session })).status).toBe(401);
  });
});

describe('without a session', () => {
  it('the page, its files and its API answer 401 and show no data', async () => {
    for (const path of ['/explorer/', '/explorer', '/explorer/app.js', '/explorer/explorer.css']) {
      const answer = record(await send(server.url, 'GET', path));
      expect(answer.status, path).toBe(401);
      expect(answer.body, path).not.toContain('import');
      expect(answer.body, path).toContain('login link');
    }
    for (const session of ['', 'instant_tx_explorer_1=nope', `${cookie.split('=')[0]}=${'A'.repeat(43)}`]) {
      const answer = record(await api('query', { cookie: session }, { query }));
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body)).toEqual({
        type: 'explorer-refused',
        message: 'Not logged in: This browser has no explorer session.',
      });
    }
  });

  it("another server's session does not open this one", async () => {
    const other = await startLocalServer();
    try {
      const theirs = await send(
        other.url,
        'GET',
        new URL(other.explorerUrl!).pathname + new URL(other.explorerUrl!).search,
      );
      const theirCookie = String(theirs.headers['set-cookie']).split(';')[0]!;
      const value = theirCookie.split('=')[1];
      expect((await api('schema', { cookie: theirCookie })).status).toBe(401);
      expect((await api('schema', { cookie: `${cookie.split('=')[0]}=${value}` })).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('with a session, from the wrong place', () => {
  it('another Origin, a cross-site fetch, or a request without the explorer header is refused (403)', async () => {
    const cases: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: server.url.replace('127.0.0.1', 'localhost') },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { 'x-explorer-request': '' },
    ];
    for (const headers of cases) {
      const answer = record(await api('query', headers, { query }));
      expect(answer.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.parse(answer.body).type).toBe('explorer-refused');
    }
    const page = record(await send(server.url, 'GET', '/explorer/', { cookie, 'sec-fetch-site': 'cross-site' }));
    expect(page.status).toBe(403);
    const typed = record(await send(server.url, 'GET', '/explorer/', { cookie, 'sec-fetch-site': 'none' }));
    expect(typed.status).toBe(200);
  });

  it('a Host that is not this server (DNS rebinding) is refused', async () => {
    const port = new URL(server.url).port;
    for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1:1', `localhost.evil:${port}`]) {
      const answer = record(await send(server.url, 'GET', '/explorer/', { cookie, host }));
      expect(answer.status, host).toBe(403);
    }
    expect((await send(server.url, 'GET', '/explorer/', { cookie, host: `localhost:${port}` })).status).toBe(200);
  });

  it('files outside the assets are never served', async () => {
    for (const path of [
      '/explorer/../local-server.ts',
      '/explorer/%2e%2e/explorer.ts',
      '/explorer/assets.ts',
      '/explorer/x/app.js',
    ]) {
      const answer = record(await send(server.url, 'GET', path, { cookie }));
      expect(answer.status, path).toBe(404);
    }
  });
});

describe('with a session, from the page', () => {
  it('serves the page with a strict Content-Security-Policy, and its API runs the Admin API routes', async () => {
    const page = record(await send(server.url, 'GET', '/explorer/', { cookie }));
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const answer = record(await api('query', {}, { query }));
    expect(answer.status).toBe(200);
    const data = JSON.parse(answer.body);
    expect(data.users).toHaveLength(4);
    expect(data.bookshelves.length).toBeGreaterThan(0);
  });

  it('runs as a guest or a user when asked, and credentials the browser sends are ignored', async () => {
    const guest = JSON.parse(record(await api('query', { 'x-explorer-as': 'guest' }, { query })).body);
    expect(guest.bookshelves).toEqual([]);
    expect(guest.users).toHaveLength(4);
    const forged = record(
      await api(
        'query',
        { authorization: 'Bearer 00000000-0000-0000-0000-000000000000', 'as-guest': 'true' },
        { query },
      ),
    );
    expect(JSON.parse(forged.body).bookshelves.length).toBeGreaterThan(0);
    const unknown = record(await api('query', { 'x-explorer-as': 'user:nobody@example.com' }, { query }));
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body).type).toBe('record-not-found');
    const checks = JSON.parse(record(await api('query_perms_check', { 'x-explorer-as': 'guest' }, { query })).body);
    expect(checks['check-results'].some((c: any) => c.entity === 'bookshelves' && c.check === false)).toBe(true);
  });

  it('runs as a user by email: the rules see that user, and the activity names them', async () => {
    const created = await fetch(`${server.url}/admin/refresh_tokens`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'app-id': server.appId,
        authorization: `Bearer ${server.adminToken}`,
      },
      body: JSON.stringify({ email: 'reader@example.com' }),
    });
    expect(created.status).toBe(200);
    const as = { 'x-explorer-as': 'user:reader@example.com' };
    const seen = JSON.parse(record(await api('query', as, { query })).body);
    expect(seen.bookshelves).toEqual([]);
    expect(seen.users).toHaveLength(4);
    const steps = [['update', 'users', crypto.randomUUID(), { handle: 'by-reader' }]];
    expect(record(await api('transact', as, { steps })).status).toBe(200);
    const [latest] = JSON.parse(record(await api('activity')).body).transactions;
    expect(latest).toMatchObject({ by: 'user reader@example.com', stepCount: 1 });
  });

  it('only the listed Admin API routes are reachable', async () => {
    for (const path of ['refresh_tokens', 'users', 'admin/query', '../admin/query', 'transact_perms_check']) {
      const answer = record(await api(path, {}, {}));
      expect([404, 405], path).toContain(answer.status);
    }
  });

  it('activity lists committed transactions only, newest first; a rolled-back one never appears', async () => {
    const ok = record(
      await api('transact', {}, { steps: [['update', 'users', crypto.randomUUID(), { handle: 'new' }]] }),
    );
    expect(ok.status).toBe(200);
    const txId = JSON.parse(ok.body)['tx-id'];
    const bookId = JSON.parse(record(await api('query', {}, { query: { books: { $: { limit: 1 } } } })).body).books[0]
      .id;
    const bad = record(
      await api('transact', { 'x-explorer-as': 'guest' }, { steps: [['update', 'books', bookId, { title: 'x' }]] }),
    );
    expect(bad.status).toBeGreaterThanOrEqual(400);
    const activity = JSON.parse(record(await api('activity')).body);
    expect(activity.transactions[0]).toMatchObject({ txId, by: 'admin', stepCount: 1 });
    expect(activity.transactions[0].steps[0]).toContain('"handle":"new"');
    expect(activity.transactions.map((t: any) => t.txId)).toEqual(
      [...activity.transactions.map((t: any) => t.txId)].sort((a: number, b: number) => b - a),
    );
    const outbox = JSON.parse(record(await api('outbox')).body);
    expect(outbox).toEqual({ available: true, messages: [] });
  });
});

describe('the admin token', () => {
  it('never appears in the page, its files, its URLs, its headers or the server log', async () => {
    for (const name of [
      'index.html',
      'app.js',
      'api.js',
      'browse.js',
      'edit.js',
      'query.js',
      'activity.js',
      'render.js',
      'schema.js',
      'explorer.css',
    ]) {
      const path = name === 'index.html' ? '/explorer/' : `/explorer/${name}`;
      const answer = record(await send(server.url, 'GET', path, { cookie }));
      expect(answer.status, path).toBe(200);
    }
    expect(server.explorerUrl).not.toContain(server.adminToken);
    expect(everything.length).toBeGreaterThan(40);
    for (const answer of everything) {
      expect(answer.body).not.toContain(server.adminToken);
      expect(JSON.stringify(answer.headers)).not.toContain(server.adminToken);
    }
    expect(logs.join('\n')).not.toContain(server.adminToken);
  });

  it('with explorer: false there is no page and no link', async () => {
    const plain = await startLocalServer({ explorer: false });
    try {
      expect(plain.explorerUrl).toBeUndefined();
      expect(plain.explorerLink()).toBeUndefined();
      const answer = await send(plain.url, 'GET', '/explorer/');
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.body)).toEqual({ message: "Oops! We couldn't match this route." });
    } finally {
      await plain.close();
    }
  });
});
