import { describe, expect, it } from 'vitest';
import { dataAttr, linkAttr } from '../support/attr-steps.ts';
import { useServer, uuid } from './helpers.ts';

const GUEST = { 'as-guest': 'true', authorization: '' } as const;
const asToken = (token: string) => ({ 'as-token': token, authorization: '' });

/** `add-attr` payloads (shared builders, under this file's short names). */
const blob = (ns: string, label: string) => dataAttr(ns, label);
const link = linkAttr;

const denial = (ns: string, scope: 'object' | 'attr') => ({
  type: 'permission-denied',
  message: 'Permission denied: not perms-pass?',
  hint: { input: [ns, scope], expected: 'perms-pass?' },
});

describe('attribute permissions: attrs.allow.create and delete-attr', () => {
  const api = useServer({ rules: { attrs: { allow: { create: "data['forward-identity'][2] != 'secret'" } } } });

  it('checks every attribute a guest creates, whether by add-attr or by writing a new label', async () => {
    const note = uuid();
    expect((await api.transact([['update', 'notes', note, { title: 'x' }]], {}, GUEST)).status).toBe(200);
    const byWriting = await api.transact([['update', 'notes', note, { secret: 'x' }]], {}, GUEST);
    expect(byWriting.body).toEqual(denial('attrs', 'attr'));
    const byAddAttr = await api.transact([['add-attr', blob('notes', 'secret')]], {}, GUEST);
    expect(byAddAttr.body).toEqual(denial('attrs', 'attr'));
    const strict = await api.transact([['update', 'notes', note, { secret: 'x' }]], {
      'throw-on-missing-attrs?': true,
    });
    expect(strict.body.hint.errors[0].hint.attributes).toEqual(['notes.secret']);
    expect((await api.transact([['update', 'notes', note, { secret: 'x' }]])).status).toBe(200);
    expect((await api.transact([['update', 'notes', note, { secret: 'y' }]], {}, GUEST)).status).toBe(200);
  });

  it('denies delete-attr to every impersonated caller, whatever the rules say', async () => {
    const attr = blob('notes', 'color');
    expect((await api.transact([['add-attr', attr]])).status).toBe(200);
    const user = (await api.call('POST', '/admin/refresh_tokens', { email: 'attrs@example.com' })).body.user;
    for (const as of [GUEST, asToken(user.refresh_token)]) {
      expect((await api.transact([['delete-attr', attr.id]], {}, as)).body).toEqual(denial('attrs', 'attr'));
    }
    expect((await api.transact([['delete-attr', attr.id]])).status).toBe(200);
  });
});

describe('system namespaces: what only the admin may do', () => {
  const api = useServer({ rules: { $users: { allow: { update: 'true' } } } });
  const failure = (message: string) => ({
    type: 'validation-failed',
    message: `Validation failed for tx-step: ${message}`,
  });

  it("refuses writes to $users system columns and deletes of $users rows, with Instant's messages", async () => {
    const user = (await api.call('POST', '/admin/refresh_tokens', { email: 'sys@example.com' })).body.user;
    const as = asToken(user.refresh_token);
    const email = await api.transact([['update', '$users', user.id, { email: 'other@example.com' }]], {}, as);
    expect(email.body).toMatchObject(
      failure("$users.email is a system column. You aren't allowed to change this directly."),
    );
    const guests = await api.transact([['link', '$users', user.id, { linkedGuestUsers: uuid() }]], {}, as);
    expect(guests.body).toMatchObject(
      failure("$users.linkedPrimaryUser is a system column. You aren't allowed to change this directly."),
    );
    const deleted = await api.transact([['delete', '$users', user.id]], {}, as);
    expect(deleted.body).toMatchObject(
      failure("$users is a system entity. You aren't allowed to delete this directly."),
    );
    expect((await api.call('GET', '/admin/users?email=sys@example.com')).body.user.id).toBe(user.id);
  });

  it('refuses to create a $users row through a transaction, but lets the user write their custom columns', async () => {
    expect((await api.transact([['add-attr', blob('$users', 'nickname')]])).status).toBe(200);
    const created = await api.transact([['update', '$users', uuid(), { nickname: 'ghost' }]], {}, GUEST);
    expect(created.body).toMatchObject(
      failure("$users is a system entity. You aren't allowed to create this directly."),
    );
    const user = (await api.call('POST', '/admin/refresh_tokens', { email: 'nick@example.com' })).body.user;
    const own = await api.transact(
      [['update', '$users', user.id, { nickname: 'nick' }]],
      {},
      asToken(user.refresh_token),
    );
    expect(own.status).toBe(200);
    expect((await api.transact([['update', '$users', user.id, { email: 'nick2@example.com' }]])).status).toBe(200);
  });
});

describe('deletes: cascades and entities that do not exist', () => {
  const api = useServer({
    rules: {
      posts: { allow: { delete: 'true' } },
      comments: { allow: { delete: "data.locked != true && ruleParams.key == 'k'" } },
      ghosts: { allow: { delete: 'data.id == null && ruleParams.ok == true' } },
    },
  });

  it("checks every entity a cascade deletes with its own delete rule, with the deleted root's ruleParams", async () => {
    const [post, comment] = [uuid(), uuid()];
    await api.transact([
      ['add-attr', link('comments', 'post', 'posts', 'comments', { 'on-delete': 'cascade' })],
      ['update', 'posts', post, { title: 'p' }],
      ['update', 'comments', comment, { locked: true }],
      ['link', 'comments', comment, { post }],
    ]);
    const withParams = [
      ['delete', 'posts', post],
      ['ruleParams', 'posts', post, { key: 'k' }],
    ];
    expect((await api.transact(withParams, {}, GUEST)).body).toEqual(denial('comments', 'object'));
    await api.transact([['update', 'comments', comment, { locked: false }]]);
    expect((await api.transact([['delete', 'posts', post]], {}, GUEST)).body).toEqual(denial('comments', 'object'));
    expect((await api.transact(withParams, {}, GUEST)).status).toBe(200);
    expect((await api.query({ posts: {}, comments: {} })).body).toEqual({ posts: [], comments: [] });
  });

  it('runs the delete rule for an entity that does not exist, with data null', async () => {
    const ghost = uuid();
    expect((await api.transact([['delete', 'ghosts', ghost]], {}, GUEST)).body).toEqual(denial('ghosts', 'object'));
    const allowed = await api.transact(
      [
        ['delete', 'ghosts', ghost],
        ['ruleParams', 'ghosts', ghost, { ok: true }],
      ],
      {},
      GUEST,
    );
    expect(allowed.status).toBe(200);
  });
});

describe('link rules: linkedData follows links from the other side', () => {
  const api = useServer({
    rules: {
      posts: { allow: { link: { team: "auth.id in linkedData.ref('members.id')" } } },
      $users: { allow: { view: 'true' } },
    },
  });

  it("lets a member of a team link a post to it, and a stranger's ruleParams-free link is denied", async () => {
    const member = (await api.call('POST', '/admin/refresh_tokens', { email: 'member@example.com' })).body.user;
    const stranger = (await api.call('POST', '/admin/refresh_tokens', { email: 'stranger@example.com' })).body.user;
    const [team, post] = [uuid(), uuid()];
    await api.transact([
      ['add-attr', link('posts', 'team', 'teams', 'posts')],
      ['add-attr', { ...link('teams', 'members', '$users', 'teams'), cardinality: 'many' }],
      ['update', 'teams', team, { name: 't' }],
      ['link', 'teams', team, { members: member.id }],
      ['update', 'posts', post, { title: 'p' }],
    ]);
    const steps = [['link', 'posts', post, { team }]];
    expect((await api.transact(steps, {}, asToken(stranger.refresh_token))).body).toEqual(denial('posts', 'object'));
    expect((await api.transact(steps, {}, asToken(member.refresh_token))).status).toBe(200);
  });
});

describe('POST /admin/transact_perms_check reports the checks of both sides of the write', () => {
  const api = useServer({ rules: { goals: { allow: { update: 'false', create: 'true' } } } });

  it('lists the update check (before the write), the create and attrs checks (after it), and commits nothing', async () => {
    await api.call('POST', '/admin/refresh_tokens', { email: 'debug@example.com' });
    const [existing, fresh] = [uuid(), uuid()];
    await api.transact([['update', 'goals', existing, { title: 'old' }]]);
    const res = await api.call(
      'POST',
      '/admin/transact_perms_check',
      {
        steps: [
          ['update', 'goals', existing, { title: 'new' }],
          ['update', 'goals', fresh, { title: 'fresh', priority: 1 }],
        ],
      },
      { 'as-email': 'debug@example.com' },
    );
    expect(res.status).toBe(200);
    expect(res.body['all-checks-ok?']).toBe(false);
    expect(res.body['committed?']).toBe(false);
    const checks = res.body['check-results'].map((c: Record<string, unknown>) => [
      c.scope,
      c.action,
      c.etype,
      c['check-pass?'],
    ]);
    expect(checks).toEqual([
      ['object', 'update', 'goals', false],
      ['attr', 'create', 'attrs', true],
      ['object', 'create', 'goals', true],
    ]);
    const titles = (await api.query({ goals: {} })).body.goals.map((g: { title: string }) => g.title);
    expect(titles).toEqual(['old']);
  });
});
