import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstantAPIError, InstantValidationError, init } from '../../src/index.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';
import { dataAttr } from '../support/attr-steps.ts';
import { fetchAnswer } from '../support/fetch-answer.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Magic codes, guest sign-in, getUserFromRequest and presence, end to end: instant-tx's client against
 * the local server over real HTTP, with the server's clock injected so expiry can be tested.
 */
describe('auth flows against the local server', () => {
  let server: LocalServer;
  let db: ReturnType<typeof init>;
  let clock = Date.now();
  const raw = (method: string, path: string, body?: unknown, headers: Record<string, string | undefined> = {}) =>
    fetchAnswer(
      `${server.url}${path}`,
      method,
      Object.fromEntries(
        Object.entries({
          'content-type': 'application/json',
          'app-id': server.appId,
          authorization: `Bearer ${server.adminToken}`,
          ...headers,
        }).filter(([, value]) => value !== undefined),
      ) as Record<string, string>,
      body,
    );
  const rejection = async (promise: Promise<unknown>): Promise<InstantAPIError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InstantAPIError);
    return error as InstantAPIError;
  };
  const users = async () => (await db.query({ $users: {} })).$users as Record<string, unknown>[];
  const codeRows = async (email: string) =>
    ((await db.query({ $magicCodes: { $: { where: { email } } } })) as { $magicCodes: unknown[] }).$magicCodes;

  beforeAll(async () => {
    server = await startLocalServer({ now: () => clock });
    db = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url, retry: false });
    const steps = [
      ['add-attr', dataAttr('$users', 'nickname', { 'checked-data-type': 'string' })],
      ['add-attr', dataAttr('$users', 'score', { 'checked-data-type': 'number' })],
    ];
    expect((await raw('POST', '/admin/transact', { steps })).status).toBe(200);
  });
  afterAll(() => server.close());

  describe('magic codes', () => {
    it('generate → check: the user is created, with a refresh token that works', async () => {
      const { code } = await db.auth.generateMagicCode('Alyssa@Example.com');
      expect(code).toMatch(/^\d{6}$/);
      const { user, created } = await db.auth.checkMagicCode('alyssa@example.com', code);
      expect(created).toBe(true);
      expect(user).toMatchObject({ email: 'alyssa@example.com', type: 'user', isGuest: false, app_id: server.appId });
      expect(user.refresh_token).toMatch(/^[0-9a-f-]{36}$/);
      expect(await db.auth.verifyToken(user.refresh_token)).toMatchObject({ id: user.id, email: 'alyssa@example.com' });
      expect((await db.asUser({ token: user.refresh_token }).query({ $users: {} })).$users).toEqual([
        expect.objectContaining({ id: user.id }),
      ]);
      expect(await codeRows('alyssa@example.com')).toEqual([]);
    });

    it('a second sign-in finds the same user (created: false) with a new token', async () => {
      const first = await db.auth.checkMagicCode(
        'ben@example.com',
        (await db.auth.generateMagicCode('ben@example.com')).code,
      );
      const again = await db.auth.checkMagicCode(
        'ben@example.com',
        (await db.auth.generateMagicCode('ben@example.com')).code,
      );
      expect(again.created).toBe(false);
      expect(again.user.id).toBe(first.user.id);
      expect(again.user.refresh_token).not.toBe(first.user.refresh_token);
      const user = await db.auth.verifyMagicCode(
        'ben@example.com',
        (await db.auth.generateMagicCode('ben@example.com')).code,
      );
      expect(user.id).toBe(first.user.id);
    });

    it('send → the outbox has the email with the code → verify', async () => {
      const next = server.outbox.next({ to: 'carol@example.com', timeoutMs: 2_000 });
      const sent = await db.auth.sendMagicCode({ email: 'carol@example.com' });
      const message = await next;
      expect(message).toMatchObject({ to: 'carol@example.com', code: sent.code });
      expect(message.subject).toBe(`${sent.code} is your verification code for your app`);
      expect(message.body).toContain(sent.code);
      expect(message.body).toContain('expire in 24 hours, and can only be used once');
      expect(message.sentAt).toBeInstanceOf(Date);
      expect(server.outbox.latest('Carol@example.com')?.code).toBe(sent.code);
      expect(server.outbox.messages.at(-1)).toEqual(message);
      const { user } = await db.auth.checkMagicCode('carol@example.com', message.code);
      expect(user.email).toBe('carol@example.com');
    });

    it('a code works once: the second use is record-not-found, and no second token is made', async () => {
      const { code } = await db.auth.generateMagicCode('dan@example.com');
      await db.auth.checkMagicCode('dan@example.com', code);
      const error = await rejection(db.auth.checkMagicCode('dan@example.com', code));
      expect(error.status).toBe(400);
      expect(error.type).toBe('record-not-found');
      expect(error.message).toContain('Record not found: app-user-magic-code');
      expect(error.hint).toMatchObject({ 'record-type': 'app-user-magic-code' });
    });

    it('the same code checked twice at once: exactly one sign-in succeeds', async () => {
      const { code } = await db.auth.generateMagicCode('duo@example.com');
      const results = await Promise.allSettled([
        db.auth.checkMagicCode('duo@example.com', code),
        db.auth.checkMagicCode('duo@example.com', code),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(failed.reason).toMatchObject({ type: 'record-not-found' });
      expect((await users()).filter((u) => u.email === 'duo@example.com')).toHaveLength(1);
    });

    it('a wrong code, or another email’s code → record-not-found, the code stays usable, no user made', async () => {
      const { code } = await db.auth.generateMagicCode('erin@example.com');
      const wrong = code === '000000' ? '111111' : '000000';
      expect((await rejection(db.auth.checkMagicCode('erin@example.com', wrong))).type).toBe('record-not-found');
      expect((await rejection(db.auth.checkMagicCode('frank@example.com', code))).type).toBe('record-not-found');
      expect((await users()).some((u) => u.email === 'frank@example.com')).toBe(false);
      expect(await codeRows('erin@example.com')).toHaveLength(1);
      expect((await db.auth.checkMagicCode('erin@example.com', ` ${code} `)).created).toBe(true);
    });

    it('a code older than 24 hours → record-expired, nothing written; a fresh one still works', async () => {
      const { code } = await db.auth.generateMagicCode('gina@example.com');
      clock += DAY_MS + 1_000;
      try {
        const error = await rejection(db.auth.checkMagicCode('gina@example.com', code));
        expect(error.status).toBe(400);
        expect(error.type).toBe('record-expired');
        expect(error.message).toContain('Record expired: app-user-magic-code');
        expect(await codeRows('gina@example.com')).toHaveLength(1);
        expect((await users()).some((u) => u.email === 'gina@example.com')).toBe(false);
        const fresh = await db.auth.generateMagicCode('gina@example.com');
        expect((await db.auth.checkMagicCode('gina@example.com', fresh.code)).created).toBe(true);
      } finally {
        clock -= DAY_MS + 1_000;
      }
    });

    it('a code just inside 24 hours still works', async () => {
      const { code } = await db.auth.generateMagicCode('hal@example.com');
      clock += DAY_MS - 1_000;
      try {
        expect((await db.auth.checkMagicCode('hal@example.com', code)).created).toBe(true);
      } finally {
        clock -= DAY_MS - 1_000;
      }
    });

    it('missing or malformed email and code → Instant’s param errors, nothing written', async () => {
      const before = (await users()).length;
      for (const path of ['/admin/magic_code', '/admin/send_magic_code', '/admin/verify_magic_code']) {
        const missing = await raw('POST', path, { code: '123456' });
        expect(missing.status).toBe(400);
        expect(missing.body).toEqual({
          type: 'param-missing',
          message: 'Missing parameter: ["body" "email"]',
          hint: { in: ['body', 'email'] },
        });
        for (const email of ['not-an-email', 'a@b', 'a b@example.com', '', 42]) {
          const bad = await raw('POST', path, { email, code: '123456' });
          expect(bad.status).toBe(400);
          expect(bad.body).toEqual({
            type: 'param-malformed',
            message: 'Malformed parameter: ["body" "email"]',
            hint: { in: ['body', 'email'], 'original-input': email },
          });
        }
      }
      const noCode = await raw('POST', '/admin/verify_magic_code', { email: 'ivy@example.com' });
      expect(noCode.body).toMatchObject({ type: 'param-missing', hint: { in: ['body', 'code'] } });
      const numberCode = await raw('POST', '/admin/verify_magic_code', { email: 'ivy@example.com', code: 123456 });
      expect(numberCode.body).toMatchObject({ type: 'param-malformed', hint: { in: ['body', 'code'] } });
      expect(await codeRows('not-an-email')).toEqual([]);
      expect(server.outbox.messages.some((m) => m.to === 'not-an-email')).toBe(false);
      expect((await users()).length).toBe(before);
      // Through the client: the server's answer, as an InstantAPIError; a non-string is refused before sending.
      expect((await rejection(db.auth.sendMagicCode('nope'))).type).toBe('param-malformed');
      await expect(db.auth.generateMagicCode(undefined as unknown as string)).rejects.toBeInstanceOf(
        InstantValidationError,
      );
    });

    it('every route needs the admin token', async () => {
      for (const [path, body] of [
        ['/admin/send_magic_code', { email: 'jo@example.com' }],
        ['/admin/verify_magic_code', { email: 'jo@example.com', code: '123456' }],
        ['/admin/sign_in_guest', {}],
      ] as const) {
        const missing = await raw('POST', path, body, { authorization: undefined });
        expect(missing.body).toMatchObject({ type: 'param-missing', hint: { in: ['headers', 'authorization'] } });
        const wrong = await raw('POST', path, body, { authorization: `Bearer ${crypto.randomUUID()}` });
        expect(wrong.body.type).toBe('record-not-found');
      }
      expect(server.outbox.latest('jo@example.com')).toBeUndefined();
      const tokenless = init({ appId: server.appId, apiURI: server.url, retry: false });
      await expect(tokenless.auth.sendMagicCode('jo@example.com')).rejects.toBeInstanceOf(InstantValidationError);
    });

    it('20 sends per email per hour, then 429 rate-limited; another email is unaffected; an hour later it resets', async () => {
      for (let i = 0; i < 20; i++)
        expect((await raw('POST', '/admin/send_magic_code', { email: 'kim@example.com' })).status).toBe(200);
      const limited = await raw('POST', '/admin/send_magic_code', { email: 'kim@example.com' });
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({
        type: 'rate-limited',
        message: 'Too many verification codes requested for this email. Please try again later.',
        hint: null,
      });
      expect(await codeRows('kim@example.com')).toHaveLength(20);
      expect((await raw('POST', '/admin/send_magic_code', { email: 'lee@example.com' })).status).toBe(200);
      clock += 60 * 60 * 1000;
      try {
        expect((await raw('POST', '/admin/send_magic_code', { email: 'kim@example.com' })).status).toBe(200);
      } finally {
        clock -= 60 * 60 * 1000;
      }
    });

    it('20 code checks per email per hour, right or wrong: guessing stops at the limit', async () => {
      const { code } = await db.auth.generateMagicCode('mo@example.com');
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 20; i++)
        expect((await raw('POST', '/admin/verify_magic_code', { email: 'mo@example.com', code: wrong })).status).toBe(
          400,
        );
      const limited = await raw('POST', '/admin/verify_magic_code', { email: 'mo@example.com', code });
      expect(limited.status).toBe(429);
      expect(limited.body.type).toBe('rate-limited');
      expect(await codeRows('mo@example.com')).toHaveLength(1);
    });
  });

  describe('extra-fields', () => {
    it('set on a user the sign-in creates', async () => {
      const { code } = await db.auth.generateMagicCode('nia@example.com');
      const { user } = await db.auth.checkMagicCode('nia@example.com', code, {
        extraFields: { nickname: 'nia', score: 3 },
      });
      expect(user).toMatchObject({ nickname: 'nia', score: 3 });
      expect(await db.auth.getUser({ email: 'nia@example.com' })).toMatchObject({ nickname: 'nia', score: 3 });
    });

    it('ignored for a user that exists (even invalid ones, as in Instant)', async () => {
      const { code } = await db.auth.generateMagicCode('nia@example.com');
      const { user, created } = await db.auth.checkMagicCode('nia@example.com', code, {
        extraFields: { nickname: 'changed', email: 'x@y.co' },
      });
      expect(created).toBe(false);
      expect(user).toMatchObject({ nickname: 'nia', email: 'nia@example.com' });
    });

    it('unknown, system or mistyped fields → validation-failed, nothing written, the code not used up', async () => {
      const { code } = await db.auth.generateMagicCode('oz@example.com');
      // As JSON text, so that `__proto__` is sent as a key like any other.
      const cases: [string, string][] = [
        ['{"favoriteColor":"red"}', 'Unknown field: favoriteColor. It must be defined in your $users schema.'],
        ['{"email":"other@example.com"}', 'Cannot set system field: email'],
        [`{"id":"${crypto.randomUUID()}"}`, 'Cannot set system field: id'],
        ['{"type":"admin"}', 'Cannot set system field: type'],
        ['{"__proto__":{"nickname":"x"}}', 'Unknown field: __proto__. It must be defined in your $users schema.'],
        ['"nickname"', 'extra-fields must be an object of $users fields'],
      ];
      for (const [extra, message] of cases) {
        const answer = await raw(
          'POST',
          '/admin/verify_magic_code',
          `{"email":"oz@example.com","code":"${code}","extra-fields":${extra}}`,
        );
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({
          type: 'validation-failed',
          message: `Validation failed for extra-fields: ${message}`,
          hint: { 'data-type': 'extra-fields', errors: [{ message }] },
        });
      }
      const mistyped = await rejection(
        db.auth.checkMagicCode('oz@example.com', code, { extraFields: { score: 'high' } }),
      );
      expect(mistyped.type).toBe('validation-failed');
      expect((await users()).some((u) => u.email === 'oz@example.com')).toBe(false);
      expect((await db.auth.checkMagicCode('oz@example.com', code)).created).toBe(true);
    });
  });

  describe('extra-fields on POST /admin/refresh_tokens (Instant’s route takes them too)', () => {
    it('set when the user is created, ignored when it exists, refused when unknown or system', async () => {
      const made = await raw('POST', '/admin/refresh_tokens', {
        email: 'tia@example.com',
        'extra-fields': { nickname: 'tia' },
      });
      expect(made.body).toMatchObject({ created: true, user: { email: 'tia@example.com', nickname: 'tia' } });
      const again = await raw('POST', '/admin/refresh_tokens', {
        email: 'tia@example.com',
        'extra-fields': { id: 'x' },
      });
      expect(again.body).toMatchObject({ created: false, user: { nickname: 'tia' } });
      const bad = await raw('POST', '/admin/refresh_tokens', {
        email: 'uma@example.com',
        'extra-fields': { type: 'guest' },
      });
      expect(bad.body).toMatchObject({
        type: 'validation-failed',
        message: 'Validation failed for extra-fields: Cannot set system field: type',
      });
      expect(await db.auth.getUser({ email: 'uma@example.com' })).toBeNull();
    });
  });

  describe('guests', () => {
    it('signInAsGuest creates a guest with a working refresh token, and extra fields', async () => {
      const { user } = await db.auth.signInAsGuest({ extraFields: { nickname: 'visitor' } });
      expect(user).toMatchObject({ type: 'guest', isGuest: true, nickname: 'visitor', app_id: server.appId });
      expect(user.email).toBeUndefined();
      expect(await db.auth.verifyToken(user.refresh_token)).toMatchObject({ id: user.id, isGuest: true });
      const plain = await db.auth.signInAsGuest();
      expect(plain.user.id).not.toBe(user.id);
      const bad = await raw('POST', '/admin/sign_in_guest', { 'extra-fields': { email: 'a@b.co' } });
      expect(bad.body).toMatchObject({
        type: 'validation-failed',
        message: 'Validation failed for extra-fields: Cannot set system field: email',
      });
      const before = (await users()).length;
      expect((await rejection(db.auth.signInAsGuest({ extraFields: { nope: 1 } }))).type).toBe('validation-failed');
      expect((await users()).length).toBe(before);
    });

    it('a guest verifying a new email becomes that user: same id, type user, the email set', async () => {
      const { user: guest } = await db.auth.signInAsGuest();
      const { code } = await db.auth.generateMagicCode('pat@example.com');
      const { user, created } = await db.auth.checkMagicCode('pat@example.com', code, {
        refreshToken: guest.refresh_token,
        extraFields: { nickname: 'pat' },
      });
      expect(created).toBe(true);
      expect(user).toMatchObject({
        id: guest.id,
        email: 'pat@example.com',
        type: 'user',
        isGuest: false,
        nickname: 'pat',
      });
      expect((await db.auth.verifyToken(guest.refresh_token)).id).toBe(guest.id);
    });

    it('a guest verifying an existing email is linked to that user (linkedPrimaryUser)', async () => {
      const existing = await db.auth.checkMagicCode(
        'quinn@example.com',
        (await db.auth.generateMagicCode('quinn@example.com')).code,
      );
      const { user: guest } = await db.auth.signInAsGuest();
      const { code } = await db.auth.generateMagicCode('quinn@example.com');
      const { user, created } = await db.auth.checkMagicCode('quinn@example.com', code, {
        refreshToken: guest.refresh_token,
      });
      expect(created).toBe(false);
      expect(user.id).toBe(existing.user.id);
      const { $users } = await db.query({ $users: { $: { where: { id: guest.id } }, linkedPrimaryUser: {} } });
      expect($users[0]).toMatchObject({ type: 'guest', linkedPrimaryUser: [expect.objectContaining({ id: user.id })] });
    });

    it('refresh-token: malformed → param-malformed, unknown → record-not-found (token not echoed), a non-guest’s is ignored', async () => {
      const { code } = await db.auth.generateMagicCode('ray@example.com');
      const malformed = await raw('POST', '/admin/verify_magic_code', {
        email: 'ray@example.com',
        code,
        'refresh-token': 'abc',
      });
      expect(malformed.body).toMatchObject({ type: 'param-malformed', hint: { in: ['body', 'refresh-token'] } });
      const unknown = crypto.randomUUID();
      const missing = await raw('POST', '/admin/verify_magic_code', {
        email: 'ray@example.com',
        code,
        'refresh-token': unknown,
      });
      expect(missing.body).toMatchObject({ type: 'record-not-found', message: 'Record not found: app-user' });
      expect(missing.text).not.toContain(unknown);
      const ben = await db.auth.getUser({ email: 'ben@example.com' });
      const benToken = await db.auth.createToken({ email: 'ben@example.com' });
      const { user, created } = await db.auth.checkMagicCode('ray@example.com', code, { refreshToken: benToken });
      expect(created).toBe(true);
      expect(user.id).not.toBe(ben!.id);
    });

    it('refresh tokens from sign-ins are redacted from errors', async () => {
      const { user } = await db.auth.signInAsGuest();
      const error = await rejection(
        db.auth.checkMagicCode('sam@example.com', '000000', { refreshToken: user.refresh_token }),
      );
      expect(JSON.stringify(error.body)).not.toContain(user.refresh_token);
      expect(error.message).not.toContain(user.refresh_token);
    });
  });

  describe('getUserFromRequest', () => {
    const cookieName = () => `instant_user_${server.appId}`;

    it('a valid cookie → the verified user (fetch Request or Node-style headers)', async () => {
      const { user } = await db.auth.signInAsGuest();
      const value = encodeURIComponent(JSON.stringify({ id: user.id, refresh_token: user.refresh_token }));
      const request = new Request('http://localhost/', { headers: { cookie: `a=1; ${cookieName()}=${value}; b=2` } });
      expect(await db.auth.getUserFromRequest(request)).toMatchObject({ id: user.id, isGuest: true });
      expect(await db.auth.getUserFromRequest({ headers: { cookie: `${cookieName()}=${value}` } })).toMatchObject({
        id: user.id,
      });
    });

    it('no cookie, another app’s cookie, no refresh token in it, or not JSON → null, nothing sent', async () => {
      expect(await db.auth.getUserFromRequest(new Request('http://localhost/'))).toBeNull();
      expect(await db.auth.getUserFromRequest({ headers: {} })).toBeNull();
      expect(
        await db.auth.getUserFromRequest({ headers: { cookie: `instant_user_${crypto.randomUUID()}=%7B%7D` } }),
      ).toBeNull();
      expect(
        await db.auth.getUserFromRequest({ headers: { cookie: `${cookieName()}=%7B%22id%22%3A1%7D` } }),
      ).toBeNull();
      expect(await db.auth.getUserFromRequest({ headers: { cookie: `${cookieName()}=not-json` } })).toBeNull();
    });

    it('a cookie with a token the server does not know → rejects with record-not-found (as verifyToken does)', async () => {
      const token = crypto.randomUUID();
      const cookie = `${cookieName()}=${encodeURIComponent(JSON.stringify({ refresh_token: token }))}`;
      const error = await rejection(db.auth.getUserFromRequest({ headers: { cookie } }));
      expect(error.type).toBe('record-not-found');
      expect(error.message).not.toContain(token);
    });

    it('disableValidation returns the cookie’s user without asking the server', async () => {
      const cookie = `${cookieName()}=${encodeURIComponent(JSON.stringify({ id: 'x', refresh_token: crypto.randomUUID() }))}`;
      expect(await db.auth.getUserFromRequest({ headers: { cookie } }, { disableValidation: true })).toMatchObject({
        id: 'x',
      });
    });
  });

  describe('presence', () => {
    it('getPresence → {} (no realtime sessions here); the server answers {"sessions": null} as Instant does for an empty room', async () => {
      expect(await db.rooms.getPresence('chat', 'room-1')).toEqual({});
      const answer = await raw('GET', '/admin/rooms/presence?room-type=chat&room-id=room-1');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ sessions: null });
    });

    it('room-type and room-id are required and non-blank; the admin token too', async () => {
      expect((await raw('GET', '/admin/rooms/presence?room-id=r')).body).toEqual({
        type: 'param-missing',
        message: 'Missing parameter: ["params" "room-type"]',
        hint: { in: ['params', 'room-type'] },
      });
      expect((await raw('GET', '/admin/rooms/presence?room-type=chat&room-id=%20')).body).toMatchObject({
        type: 'param-malformed',
        hint: { in: ['params', 'room-id'], 'original-input': ' ' },
      });
      const noToken = await raw('GET', '/admin/rooms/presence?room-type=c&room-id=r', undefined, {
        authorization: undefined,
      });
      expect(noToken.body.type).toBe('param-missing');
      expect((await rejection(db.rooms.getPresence('chat', ''))).type).toBe('param-malformed');
    });
  });
});
