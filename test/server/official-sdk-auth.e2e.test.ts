import { i, init } from '@instantdb/admin';
import { beforeAll, describe, expect, it } from 'vitest';
import { useServer } from './helpers.ts';

const schema = i.schema({
  entities: {
    $users: i.entity({ email: i.string().unique().indexed(), nickname: i.string().optional() }),
  },
  rooms: { chat: { presence: i.entity({ name: i.string() }) } },
});

/** The official SDK's magic-code, guest-cookie and presence calls, pointed at the local server. */
describe('@instantdb/admin 1.0.67 auth and presence against the local server', () => {
  const api = useServer({ schema });
  let db: ReturnType<typeof init<typeof schema>>;
  beforeAll(() => {
    db = init({ appId: api.server.appId, adminToken: api.server.adminToken, apiURI: api.server.url, schema });
  });

  it('generateMagicCode → checkMagicCode with extraFields creates the user; the token verifies', async () => {
    const { code } = await db.auth.generateMagicCode('alyssa@example.com');
    const { user, created } = await db.auth.checkMagicCode('alyssa@example.com', code, {
      extraFields: { nickname: 'alyssa' },
    });
    expect(created).toBe(true);
    expect(user).toMatchObject({ email: 'alyssa@example.com', nickname: 'alyssa', isGuest: false });
    expect((await db.auth.verifyToken(user.refresh_token)).id).toBe(user.id);
    const again = await db.auth.checkMagicCode(
      'alyssa@example.com',
      (await db.auth.generateMagicCode('alyssa@example.com')).code,
    );
    expect(again).toMatchObject({ created: false, user: { id: user.id } });
  });

  it('sendMagicCode → the code from the outbox → verifyMagicCode', async () => {
    const next = api.server.outbox.next({ to: 'ben@example.com', timeoutMs: 2_000 });
    await db.auth.sendMagicCode('ben@example.com');
    const { code } = await next;
    const user = await db.auth.verifyMagicCode('ben@example.com', code);
    expect(user).toMatchObject({ email: 'ben@example.com', refresh_token: expect.any(String) });
  });

  it('a used, wrong or expired code rejects with InstantAPIError and Instant’s body', async () => {
    const { code } = await db.auth.generateMagicCode('carol@example.com');
    await db.auth.verifyMagicCode('carol@example.com', code);
    const error = await db.auth.verifyMagicCode('carol@example.com', code).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'InstantAPIError',
      status: 400,
      body: { type: 'record-not-found', message: 'Record not found: app-user-magic-code' },
    });
    const noEmail = await db.auth.generateMagicCode('not-an-email').catch((e: unknown) => e);
    expect(noEmail).toMatchObject({ status: 400, body: { type: 'param-malformed', hint: { in: ['body', 'email'] } } });
  });

  it('getUserFromRequest reads the instant_user cookie of a guest made by our server', async () => {
    const answer = await api.call('POST', '/admin/sign_in_guest', { 'extra-fields': { nickname: 'guest' } });
    expect(answer.status).toBe(200);
    const guest = answer.body.user;
    const cookie = `instant_user_${api.server.appId}=${encodeURIComponent(JSON.stringify(guest))}`;
    const user = await db.auth.getUserFromRequest(new Request('http://localhost/', { headers: { cookie } }));
    expect(user).toMatchObject({ id: guest.id, type: 'guest', isGuest: true, nickname: 'guest' });
    expect(await db.auth.getUserFromRequest(new Request('http://localhost/'))).toBeNull();
  });

  it('rooms.getPresence resolves to {} for a room nobody is in', async () => {
    expect(await db.rooms.getPresence('chat', 'room-1')).toEqual({});
  });
});
