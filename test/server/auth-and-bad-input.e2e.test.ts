import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/server/http/read-json-body.ts';
import { useServer, uuid } from './helpers.ts';

describe('authentication failures answer 400 like Instant, never echoing a token', () => {
  const api = useServer();

  it('missing or malformed app id', async () => {
    const missing = await api.call('POST', '/admin/query', { query: {} }, { 'app-id': '' });
    expect(missing.status).toBe(400);
    const none = await fetch(`${api.server.url}/admin/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.server.adminToken}` },
      body: '{"query":{}}',
    });
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual({
      type: 'param-missing',
      message: 'Missing parameter: ["headers" "app-id"]',
      hint: { in: ['headers', 'app-id'], 'possible-ins': [['query-params', 'app_id']] },
    });
    const viaQuery = await fetch(`${api.server.url}/admin/query?app_id=${api.server.appId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.server.adminToken}` },
      body: '{"query":{}}',
    });
    expect(viaQuery.status).toBe(200);
  });

  it('missing, malformed and wrong admin tokens', async () => {
    const missing = await api.call('POST', '/admin/query', { query: {} }, { authorization: undefined as never });
    expect(missing.body.type).toBe('param-missing');
    const malformed = await api.call(
      'POST',
      '/admin/query',
      { query: {} },
      { authorization: 'Bearer not-a-uuid-secret' },
    );
    expect(malformed.body).toEqual({
      type: 'param-malformed',
      message: 'Malformed parameter: ["headers" "authorization"]',
      hint: { in: ['headers', 'authorization'] },
    });
    const wrong = uuid();
    const res = await api.call('POST', '/admin/query', { query: {} }, { authorization: `Bearer ${wrong}` });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('record-not-found');
    expect(res.text).not.toContain(wrong);
    expect(res.text).not.toContain('not-a-uuid-secret');
    expect(res.text).not.toContain(api.server.adminToken);
  });

  it('as-token works without the admin token; as-email needs it', async () => {
    const { body } = await api.call('POST', '/admin/refresh_tokens', { email: 'a@example.com' });
    const token = body.user.refresh_token;
    expect((await api.query({ goals: {} }, {}, { 'as-token': token, authorization: '' })).status).toBe(200);
    const email = await api.query({ goals: {} }, {}, { 'as-email': 'a@example.com', authorization: '' });
    expect(email.status).toBe(400);
    const unknownToken = uuid();
    const unknown = await api.query({ goals: {} }, {}, { 'as-token': unknownToken });
    expect(unknown.body.message).toBe('Record not found: app-user');
    expect(unknown.text).not.toContain(unknownToken);
  });

  it('users and tokens: create, verify, get, sign out, delete', async () => {
    const created = await api.call('POST', '/admin/refresh_tokens', { email: 'B@Example.com ' });
    expect(created.body).toMatchObject({
      created: true,
      user: { email: 'b@example.com', isGuest: false, app_id: api.server.appId },
    });
    expect(created.body.user.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const again = await api.call('POST', '/admin/refresh_tokens', { email: 'b@example.com' });
    expect(again.body.created).toBe(false);
    const token = again.body.user.refresh_token;
    const verified = await api.call(
      'POST',
      '/runtime/auth/verify_refresh_token',
      { 'app-id': api.server.appId, 'refresh-token': token },
      { authorization: '' },
    );
    expect(verified.body.user).toMatchObject({ email: 'b@example.com', refresh_token: token });
    expect((await api.call('GET', `/admin/users?email=b@example.com`)).body.user.id).toBe(created.body.user.id);
    expect((await api.call('GET', `/admin/users?refresh_token=${token}`)).body.user.id).toBe(created.body.user.id);
    expect((await api.call('GET', `/admin/users?email=nobody@example.com`)).body).toEqual({ user: null });
    expect((await api.call('POST', '/admin/sign_out', { refresh_token: token })).body).toEqual({ ok: true });
    expect(
      (
        await api.call('POST', '/runtime/auth/verify_refresh_token', {
          'app-id': api.server.appId,
          'refresh-token': token,
        })
      ).status,
    ).toBe(400);
    const deleted = await api.call('DELETE', `/admin/users?id=${created.body.user.id}`);
    expect(deleted.body.deleted.email).toBe('b@example.com');
    expect((await api.call('GET', `/admin/users?id=${created.body.user.id}`)).body).toEqual({ user: null });
    const byId = uuid();
    const idOnly = await api.call('POST', '/admin/refresh_tokens', { id: byId });
    expect(idOnly.body.user.id).toBe(byId);
    expect((await api.call('POST', '/admin/refresh_tokens', {})).body.message).toBe(
      'Validation failed for body: Please provide an `email` or `id`',
    );
  });
});

describe('bad input: right status and body, server stays up, nothing written', () => {
  const api = useServer();
  const count = async () => (await api.query({ junk: {} })).body.junk.length;

  it('malformed JSON → 400 text/plain', async () => {
    const res = await api.call('POST', '/admin/transact', '{"steps": [');
    expect(res.status).toBe(400);
    expect(res.text).toBe('Malformed JSON in request body.');
  });

  it('wrong types in every body field', async () => {
    const cases: [string, unknown][] = [
      ['/admin/transact', {}],
      ['/admin/transact', { steps: 'x' }],
      ['/admin/transact', { steps: [['update', 'junk', uuid(), []]] }],
      ['/admin/transact', { steps: [['update', 'junk', 7, {}]] }],
      ['/admin/transact', { steps: [[1, 'junk', uuid(), {}]] }],
      ['/admin/transact', { steps: [['update', 'junk', uuid(), {}, { upsert: 'x' }]] }],
      ['/admin/query', {}],
      ['/admin/query', { query: [] }],
      ['/admin/query', { query: 'x' }],
      ['/admin/refresh_tokens', { email: 5 }],
      ['/admin/refresh_tokens', { id: 'nope' }],
      ['/admin/sign_out', {}],
      ['/runtime/auth/verify_refresh_token', { 'app-id': 'x', 'refresh-token': uuid() }],
    ];
    for (const [path, body] of cases) {
      const res = await api.call('POST', path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(typeof res.body.type, path).toBe('string');
      expect(typeof res.body.message, path).toBe('string');
    }
    expect(await count()).toBe(0);
  });

  it(`bodies over ${MAX_BODY_BYTES} bytes → 413, and the server keeps serving`, async () => {
    const huge = JSON.stringify({ steps: [['update', 'junk', uuid(), { blob: 'x'.repeat(MAX_BODY_BYTES) }]] });
    const res = await fetch(`${api.server.url}/admin/transact`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'app-id': api.server.appId,
        authorization: `Bearer ${api.server.adminToken}`,
      },
      body: huge,
    }).catch((error) => error);
    if (res instanceof Response) expect(res.status).toBe(413);
    expect(await count()).toBe(0);
    expect((await api.query({ junk: {} })).status).toBe(200);
  });

  it('unknown routes and methods → 404 with Instant body', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/admin/transact'],
      ['PUT', '/admin/query'],
      ['POST', '/admin/users'],
    ]) {
      const res = await api.call(method!, path!, method === 'GET' ? undefined : {});
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body).toEqual({ message: "Oops! We couldn't match this route." });
    }
  });
});
