import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../src/server/index.ts';
import { fetchAnswer } from '../support/fetch-answer.ts';

/**
 * Instant's own tests of the admin magic-code and guest routes (`server/test/instant/runtime/routes_test.clj`:
 * `magic-codes-test`, `magic-codes-expire-test`, `guest-test`, the admin variants of each matrix), ported to
 * HTTP against the local server. Instant ages a code by rewriting its `created_at`; here the server's
 * clock moves forward instead. Instant's custom expiry (`update-magic-code-expiration!`, a dashboard
 * setting) and test users have no admin route, so those cases are not ported.
 */
describe('routes_test.clj (runtime): magic codes and guests through the admin routes', () => {
  let server: LocalServer;
  let clock = Date.now();
  const post = async (path: string, body: unknown) => {
    const answer = await fetchAnswer(
      `${server.url}${path}`,
      'POST',
      { 'content-type': 'application/json', 'app-id': server.appId, authorization: `Bearer ${server.adminToken}` },
      body,
    );
    return answer;
  };
  const ok = async (path: string, body: unknown) => {
    const answer = await post(path, body);
    expect(answer.status, answer.text).toBe(200);
    return answer.body;
  };
  /** `post-code-admin` and `send-code-admin` (which also checks the email's code is the answer's). */
  const sendCodes = {
    'post-code-admin': async (email: string) => (await ok('/admin/magic_code', { email })).code as string,
    'send-code-admin': async (email: string) => {
      const next = server.outbox.next({ to: email, timeoutMs: 2_000 });
      const { code } = await ok('/admin/send_magic_code', { email });
      expect(/\d+/.exec((await next).subject)?.[0]).toBe(code);
      return code as string;
    },
  };
  const verify = async (body: Record<string, unknown>) => (await ok('/admin/verify_magic_code', body)).user;

  beforeAll(async () => {
    server = await startLocalServer({ now: () => clock });
  });
  afterAll(() => server.close());

  for (const [name, sendCode] of Object.entries(sendCodes)) {
    it(`magic-codes-test [${name} verify-code-admin]`, async () => {
      const email = `${name}@b.c`;
      const code = await sendCode(email);
      const code2 = await sendCode(email);
      expect(code).not.toBe(code2);
      // can't use a different code, or a different email
      expect(
        (await post('/admin/verify_magic_code', { email, code: code === '000000' ? '000001' : '000000' })).status,
      ).toBe(400);
      expect((await post('/admin/verify_magic_code', { email: 'wrong-email', code })).status).toBe(400);
      // happy path
      const user = await verify({ email, code });
      expect(user).toMatchObject({ app_id: server.appId, email, refresh_token: expect.any(String) });
      // can't reuse the code
      expect((await post('/admin/verify_magic_code', { email, code })).status).toBe(400);
      // can use the second, unused code
      expect(await verify({ email, code: code2 })).toMatchObject({ app_id: server.appId, email });
      // auth for an existing user
      const code3 = await sendCode(email);
      expect([code, code2]).not.toContain(code3);
      expect(await verify({ email, code: code3 })).toMatchObject({ email, refresh_token: expect.any(String) });
    });

    it(`magic-codes-expire-test [${name} verify-code-admin]`, async () => {
      const email = `expire-${name}@b.c`;
      const old = await sendCode(email);
      clock += 25 * 60 * 60 * 1000;
      try {
        expect((await post('/admin/verify_magic_code', { email, code: old })).status).toBe(400);
      } finally {
        clock -= 25 * 60 * 60 * 1000;
      }
      const recent = await sendCode(email);
      clock += 23 * 60 * 60 * 1000;
      try {
        expect((await verify({ email, code: recent })).email).toBe(email);
      } finally {
        clock -= 23 * 60 * 60 * 1000;
      }
    });
  }

  it('guest-test [sign-in-guest-admin send-code verify-code-admin]', async () => {
    const guest = (await ok('/admin/sign_in_guest', {})).user;
    expect(guest).toMatchObject({ type: 'guest', isGuest: true, refresh_token: expect.any(String) });
    expect(guest.email).toBeUndefined();
    // the token is valid and verifies to the same user
    const verified = (
      await ok('/runtime/auth/verify_refresh_token', { 'app-id': server.appId, 'refresh-token': guest.refresh_token })
    ).user;
    expect(verified).toEqual(guest);
    // the guest converts to a user
    const user = await verify({
      email: '1@b.c',
      code: await sendCodes['send-code-admin']('1@b.c'),
      'refresh-token': guest.refresh_token,
    });
    expect(user).toMatchObject({ isGuest: false, id: guest.id, type: 'user', email: '1@b.c' });
    // a guest can't become an existing user: it is linked to it
    const guest2 = (await ok('/admin/sign_in_guest', {})).user;
    const user2 = await verify({
      email: '1@b.c',
      code: await sendCodes['send-code-admin']('1@b.c'),
      'refresh-token': guest2.refresh_token,
    });
    expect(user2.isGuest).toBe(false);
    expect(user2.id).not.toBe(guest2.id);
    const linked = (await ok('/admin/query', { query: { $users: { $: { where: { id: guest2.id } } } } })).$users;
    expect(linked[0].linkedPrimaryUser).toBe(user2.id);
    // a refresh token that is not a guest's is ignored
    const user3 = await verify({
      email: '1@b.c',
      code: await sendCodes['send-code-admin']('1@b.c'),
      'refresh-token': user2.refresh_token,
    });
    const unlinked = (await ok('/admin/query', { query: { $users: { $: { where: { id: user3.id } } } } })).$users;
    expect(unlinked[0].linkedPrimaryUser).toBeUndefined();
  });
});
