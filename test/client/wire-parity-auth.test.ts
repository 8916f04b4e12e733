import { describe, expect, it } from 'vitest';
import type { Recorded } from './stub-server.ts';
import { essentials, useParityPair } from './wire-essentials.ts';

const appId = crypto.randomUUID();
const adminToken = crypto.randomUUID();
const refreshToken = crypto.randomUUID();
const userId = crypto.randomUUID();

/** Canned answers so both SDKs accept the response. */
function answer(request: Recorded) {
  const user = { id: userId, email: 'a@b.co', refresh_token: refreshToken, isGuest: false };
  switch (request.path) {
    case '/admin/magic_code':
    case '/admin/send_magic_code':
      return { status: 200, body: { code: '123456' } };
    case '/admin/verify_magic_code':
      return { status: 200, body: { user, created: true } };
    case '/admin/sign_in_guest':
      return { status: 200, body: { user: { ...user, email: undefined, type: 'guest', isGuest: true } } };
    case '/runtime/auth/verify_refresh_token':
      return { status: 200, body: { user } };
    case '/admin/rooms/presence':
      return { status: 200, body: { sessions: null } };
    default:
      return { status: 200, body: {} };
  }
}

const cookieRequest = () =>
  new Request('http://localhost/', {
    headers: { cookie: `instant_user_${appId}=${encodeURIComponent(JSON.stringify({ refresh_token: refreshToken }))}` },
  });

describe('auth and presence requests match what @instantdb/admin sends for the same call', () => {
  const pair = useParityPair(answer, { appId, adminToken });

  const calls: [string, (db: any) => Promise<unknown>][] = [
    ['generateMagicCode', (db) => db.auth.generateMagicCode('a@b.co')],
    ['sendMagicCode', (db) => db.auth.sendMagicCode('a@b.co')],
    ['verifyMagicCode', (db) => db.auth.verifyMagicCode('a@b.co', '123456')],
    ['checkMagicCode', (db) => db.auth.checkMagicCode('a@b.co', '123456')],
    [
      'checkMagicCode with extraFields',
      (db) => db.auth.checkMagicCode('a@b.co', '123456', { extraFields: { nick: 'x' } }),
    ],
    ['getUserFromRequest', (db) => db.auth.getUserFromRequest(cookieRequest())],
    ['rooms.getPresence', (db) => db.rooms.getPresence('chat', 'room-1')],
    [
      'asUser(...).auth.sendMagicCode still acts as the admin',
      (db) => db.asUser({ guest: true }).auth.sendMagicCode('a@b.co'),
    ],
  ];

  for (const [label, call] of calls) {
    it(label, async () => {
      const mine = await call(pair.ours);
      const sentByUs = pair.stub.requests.map((request) => essentials(request));
      pair.stub.requests.length = 0;
      const official = await call(pair.theirs);
      const sentByThem = pair.stub.requests.map((request) => essentials(request));
      expect(sentByUs).toHaveLength(1);
      expect(sentByUs).toEqual(sentByThem);
      expect(mine).toEqual(official);
    });
  }

  it('getUserFromRequest without a cookie sends nothing, like the official', async () => {
    expect(await pair.ours.auth.getUserFromRequest(new Request('http://localhost/'))).toBeNull();
    expect(await pair.theirs.auth.getUserFromRequest(new Request('http://localhost/'))).toBeNull();
    expect(pair.stub.requests).toEqual([]);
  });

  // Calls the official admin SDK does not have: the wire is the one Instant's admin routes read.
  it('signInAsGuest posts {extra-fields} to /admin/sign_in_guest with the admin headers', async () => {
    const { user } = await pair.ours.auth.signInAsGuest({ extraFields: { nick: 'x' } });
    expect(user).toMatchObject({ type: 'guest', refresh_token: refreshToken });
    await pair.ours.auth.signInAsGuest();
    expect(pair.stub.requests.map((request) => essentials(request))).toEqual([
      {
        method: 'POST',
        path: '/admin/sign_in_guest',
        query: { app_id: appId },
        headers: { 'app-id': appId, authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: { 'extra-fields': { nick: 'x' } },
      },
      expect.objectContaining({ path: '/admin/sign_in_guest', body: {} }),
    ]);
  });

  it('checkMagicCode with refreshToken adds "refresh-token" (the guest-upgrade key of Instant’s route)', async () => {
    await pair.ours.auth.checkMagicCode('a@b.co', '123456', { refreshToken });
    expect(pair.stub.requests.map((request) => essentials(request))[0]?.body).toEqual({
      email: 'a@b.co',
      code: '123456',
      'refresh-token': refreshToken,
    });
  });

  it('refresh tokens a sign-in returns are redacted from later errors, even when the server echoes them', async () => {
    const guestToken = crypto.randomUUID();
    pair.stub.script({
      status: 200,
      body: { user: { id: userId, type: 'guest', isGuest: true, refresh_token: guestToken } },
    });
    const { user } = await pair.ours.auth.signInAsGuest();
    expect(user.refresh_token).toBe(guestToken);
    pair.stub.script({
      status: 400,
      body: { type: 'record-not-found', message: `no such token ${guestToken}`, hint: { args: [{ t: guestToken }] } },
    });
    const error = await pair.ours.auth.checkMagicCode('a@b.co', '123456').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InstantAPIError', type: 'record-not-found' });
    expect(JSON.stringify(error)).not.toContain(guestToken);
    expect(String((error as Error).message)).not.toContain(guestToken);
    expect(JSON.stringify((error as { body: unknown }).body)).not.toContain(guestToken);
  });
});
