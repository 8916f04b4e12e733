import { createHash } from 'node:crypto';
import { init } from '@instantdb/admin';
import { describe, expect, it } from 'vitest';
import { useServer } from './helpers.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('POST /admin/magic_code', () => {
  const api = useServer();

  const codes = async (email: string): Promise<any[]> => {
    const answer = await api.query({ $magicCodes: { $: { where: { email } } } });
    expect(answer.status).toBe(200);
    return answer.body.$magicCodes;
  };

  it('{email} → {code}: six digits, stored only as their SHA-256 in a $magicCodes row with the email', async () => {
    const answer = await api.call('POST', '/admin/magic_code', { email: ' Alice@Example.com ' });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(['code']);
    expect(answer.body.code).toMatch(/^\d{6}$/);
    const rows = await codes('alice@example.com');
    expect(rows).toEqual([{ id: expect.any(String), codeHash: sha256(answer.body.code), email: 'alice@example.com' }]);
    expect(JSON.stringify(rows)).not.toContain(`"${answer.body.code}"`);
  });

  it('each call adds a row; no user is created', async () => {
    await api.call('POST', '/admin/magic_code', { email: 'bob@example.com' });
    await api.call('POST', '/admin/magic_code', { email: 'bob@example.com' });
    expect(await codes('bob@example.com')).toHaveLength(2);
    expect((await api.call('GET', '/admin/users?email=bob@example.com')).body.user).toBeNull();
  });

  it('deleting a user leaves the codes of its email alone', async () => {
    const token = await api.call('POST', '/admin/refresh_tokens', { email: 'carol@example.com' });
    await api.call('POST', '/admin/magic_code', { email: 'carol@example.com' });
    expect((await api.transact([['delete', '$users', token.body.user.id]])).status).toBe(200);
    expect(await codes('carol@example.com')).toHaveLength(1);
  });

  it('a missing or malformed email → param-missing / param-malformed, nothing written', async () => {
    const missing = await api.call('POST', '/admin/magic_code', {});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ type: 'param-missing', hint: { in: ['body', 'email'] } });
    for (const email of ['not-an-email', 42, 'x'.repeat(10_000)]) {
      const bad = await api.call('POST', '/admin/magic_code', { email });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ type: 'param-malformed', hint: { in: ['body', 'email'] } });
    }
    expect((await api.query({ $magicCodes: { $: { where: { email: 'not-an-email' } } } })).body.$magicCodes).toEqual(
      [],
    );
  });

  it('needs the admin token: a wrong one → record-not-found, a guest → param-missing authorization', async () => {
    const wrong = await api.call(
      'POST',
      '/admin/magic_code',
      { email: 'dave@example.com' },
      { authorization: `Bearer ${crypto.randomUUID()}` },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.type).toBe('record-not-found');
    const guest = await api.call(
      'POST',
      '/admin/magic_code',
      { email: 'dave@example.com' },
      { authorization: undefined as unknown as string, 'as-guest': 'true' },
    );
    expect(guest.status).toBe(400);
    expect(guest.body).toMatchObject({ type: 'param-missing', hint: { in: ['headers', 'authorization'] } });
    expect(await codes('dave@example.com')).toEqual([]);
  });

  it('@instantdb/admin db.auth.generateMagicCode gets a code from the local server', async () => {
    const db = init({ appId: api.server.appId, adminToken: api.server.adminToken, apiURI: api.server.url });
    const { code } = await db.auth.generateMagicCode('erin@example.com');
    expect(code).toMatch(/^\d{6}$/);
    expect((await codes('erin@example.com'))[0].codeHash).toBe(sha256(code));
  });
});
