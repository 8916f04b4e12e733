import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalServer } from '../../src/server/index.ts';
import { fetchAnswer } from '../support/fetch-answer.ts';
import { dataAttr, linkAttr } from '../support/attr-steps.ts';
import { useServer, uuid } from './helpers.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('GET /admin/schema', () => {
  const api = useServer();
  const schema = async () => {
    const res = await api.call('GET', '/admin/schema');
    expect(res.status).toBe(200);
    return res.body.schema;
  };

  it('needs the admin token', async () => {
    const missing = await api.call('GET', '/admin/schema', undefined, { authorization: undefined as never });
    expect(missing.status).toBe(400);
    expect(missing.body.type).toBe('param-missing');
    const wrong = await api.call('GET', '/admin/schema', undefined, { authorization: `Bearer ${uuid()}` });
    expect(wrong.body.type).toBe('record-not-found');
  });

  it('shows the system catalog: $users data under blobs, its link under refs, catalog system, string types', async () => {
    const { blobs, refs } = await schema();
    expect(Object.keys(blobs.$users).sort()).toEqual(['email', 'id', 'imageURL', 'type']);
    expect(blobs.$users.email).toEqual({
      id: expect.stringMatching(UUID),
      'value-type': 'blob',
      cardinality: 'one',
      'forward-identity': [expect.stringMatching(UUID), '$users', 'email'],
      'unique?': true,
      'index?': true,
      'required?': false,
      'inferred-types': ['string'],
      catalog: 'system',
      'checked-data-type': 'string',
    });
    expect(refs['$users-linkedPrimaryUser-$users-linkedGuestUsers']).toMatchObject({
      'value-type': 'ref',
      'forward-identity': [expect.stringMatching(UUID), '$users', 'linkedPrimaryUser'],
      'reverse-identity': [expect.stringMatching(UUID), '$users', 'linkedGuestUsers'],
      'on-delete': 'cascade',
      catalog: 'system',
    });
  });

  it("shows each attribute as add-attr made it, with Instant's keys", async () => {
    const title = dataAttr('sgoals', 'title', { 'unique?': true, 'index?': true, 'checked-data-type': 'string' });
    const owner = linkAttr('sgoals', 'owner', 'sowners', 'goals', { 'on-delete': 'cascade' });
    expect(
      (
        await api.transact([
          ['add-attr', title],
          ['add-attr', owner],
        ])
      ).status,
    ).toBe(200);
    const { blobs, refs } = await schema();
    expect(blobs.sgoals.title).toEqual({
      id: title.id,
      'value-type': 'blob',
      cardinality: 'one',
      'forward-identity': title['forward-identity'],
      'unique?': true,
      'index?': true,
      'required?': false,
      'inferred-types': null,
      catalog: 'user',
      'checked-data-type': 'string',
    });
    expect(refs['sgoals-owner-sowners-goals']).toEqual({
      id: owner.id,
      'value-type': 'ref',
      cardinality: 'one',
      'forward-identity': owner['forward-identity'],
      'unique?': false,
      'index?': false,
      'required?': false,
      'inferred-types': null,
      catalog: 'user',
      'on-delete': 'cascade',
      'reverse-identity': owner['reverse-identity'],
    });
  });

  it('gives attributes a write created UUID identities that stay the same', async () => {
    expect((await api.transact([['update', 'implicit', uuid(), { note: 'x' }]])).status).toBe(200);
    const first = (await schema()).blobs.implicit;
    expect(first.note['forward-identity']).toEqual([expect.stringMatching(UUID), 'implicit', 'note']);
    expect((await schema()).blobs.implicit).toEqual(first);
  });
});

describe('inferred types', () => {
  const api = useServer();
  const typesOf = async (ns: string, label: string) =>
    (await api.call('GET', '/admin/schema')).body.schema.blobs[ns][label]['inferred-types'];

  it('records the type of every value written, in Instant order; null records nothing', async () => {
    const e = uuid();
    expect((await api.transact([['update', 'things', e, { v: null }]])).status).toBe(200);
    expect(await typesOf('things', 'v')).toBeNull();
    expect(await typesOf('things', 'id')).toEqual(['string']);
    for (const value of [{ a: 1 }, true, 'text', 3])
      expect((await api.transact([['update', 'things', e, { v: value }]])).status).toBe(200);
    expect(await typesOf('things', 'v')).toEqual(['number', 'string', 'boolean', 'json']);
  });

  it('records the patch of a merge, and link targets as strings', async () => {
    const [post, author] = [uuid(), uuid()];
    await api.transact([
      ['add-attr', linkAttr('iposts', 'author', 'iauthors', 'posts')],
      ['update', 'iposts', post, { meta: { a: 1 } }],
      ['merge', 'iposts', post, { meta: { b: 'x' } }],
      ['update', 'iauthors', author, {}],
      ['link', 'iposts', post, { author }],
    ]);
    expect(await typesOf('iposts', 'meta')).toEqual(['json']);
    const refs = (await api.call('GET', '/admin/schema')).body.schema.refs;
    expect(refs['iposts-author-iauthors-posts']['inferred-types']).toEqual(['string']);
  });

  it('keeps nothing from a transaction that failed or was only checked', async () => {
    const e = uuid();
    await api.transact([['add-attr', dataAttr('checked', 'n', { 'checked-data-type': 'number' })]]);
    expect((await api.transact([['update', 'checked', e, { n: 'not a number' }]])).status).toBe(400);
    expect(await typesOf('checked', 'n')).toBeNull();
    const steps = [['update', 'checked', e, { n: 1 }]];
    const dryRun = await api.call('POST', '/admin/transact_perms_check', { steps }, { 'as-guest': 'true' });
    expect(dryRun.body['committed?']).toBe(false);
    expect(await typesOf('checked', 'n')).toBeNull();
  });

  it('leaves system attributes as the catalog has them', async () => {
    await api.call('POST', '/admin/refresh_tokens', { email: 'types@example.com' });
    expect(await typesOf('$users', 'email')).toEqual(['string']);
  });
});

describe('inferred types on disk', () => {
  it('survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'instant-tx-schema-'));
    try {
      const dbPath = join(dir, 'app.db');
      const first = await startLocalServer({ dbPath });
      const headers = { 'app-id': first.appId, authorization: `Bearer ${first.adminToken}` };
      const json = { ...headers, 'content-type': 'application/json' };
      const steps = [['update', 'notes', uuid(), { n: 1, s: 'x' }]];
      expect((await fetchAnswer(`${first.url}/admin/transact`, 'POST', json, { steps })).status).toBe(200);
      await first.close();
      const second = await startLocalServer({ dbPath });
      try {
        const res = await fetchAnswer(`${second.url}/admin/schema`, 'GET', headers);
        expect(res.body.schema.blobs.notes.n['inferred-types']).toEqual(['number']);
        expect(res.body.schema.blobs.notes.s['inferred-types']).toEqual(['string']);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
