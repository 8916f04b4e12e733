import { describe, expect, it } from 'vitest';
import { dataAttr, linkAttr } from '../support/attr-steps.ts';
import { useServer, uuid } from './helpers.ts';

const GUEST = { 'as-guest': 'true', authorization: '' } as const;

describe('delete-attr soft-deletes', () => {
  const api = useServer();
  const softDeleted = async () => {
    const res = await api.call('GET', '/admin/soft_deleted_attrs');
    expect(res.status).toBe(200);
    return res.body;
  };
  const schema = async () => (await api.call('GET', '/admin/schema')).body.schema;

  it('needs the admin token', async () => {
    const res = await api.call('GET', '/admin/soft_deleted_attrs', undefined, { authorization: `Bearer ${uuid()}` });
    expect(res.body.type).toBe('record-not-found');
  });

  it("lists the attribute with Instant's metadata, branded names and the grace period", async () => {
    expect(await softDeleted()).toEqual({ attrs: [], 'grace-period-days': 2 });
    const id = dataAttr('sd1', 'id', { 'unique?': true, 'index?': true });
    const slug = dataAttr('sd1', 'slug', { 'unique?': true, 'index?': true, 'required?': true });
    expect(
      (
        await api.transact([
          ['add-attr', id],
          ['add-attr', slug],
        ])
      ).status,
    ).toBe(200);
    expect((await api.transact([['update', 'sd1', uuid(), { slug: 'a' }]])).status).toBe(200);
    const before = Date.now();
    expect((await api.transact([['delete-attr', slug.id]])).status).toBe(200);
    const { attrs } = await softDeleted();
    expect(attrs).toEqual([
      {
        id: slug.id,
        'value-type': 'blob',
        cardinality: 'one',
        'forward-identity': [
          (slug['forward-identity'] as string[])[0],
          `${slug.id}_deleted$sd1`,
          `${slug.id}_deleted$slug`,
        ],
        'unique?': true,
        'index?': false,
        'required?': false,
        'inferred-types': ['string'],
        catalog: 'user',
        'deletion-marked-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        metadata: { soft_delete_snapshot: { is_indexed: true, is_required: true, id_attr_id: id.id } },
      },
    ]);
    const markedAt = Date.parse(attrs[0]['deletion-marked-at']);
    expect(markedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(markedAt).toBeLessThanOrEqual(Date.now());
    expect(Object.keys((await schema()).blobs.sd1)).toEqual(['id']);
  });

  it('frees the label; the old values are invisible and block nothing', async () => {
    const title = dataAttr('sd2', 'title', { 'unique?': true, 'required?': true });
    const e = uuid();
    await api.transact([
      ['add-attr', title],
      ['update', 'sd2', e, { title: 'same' }],
    ]);
    expect((await api.transact([['delete-attr', title.id]])).status).toBe(200);
    expect((await api.query({ sd2: {} })).body.sd2).toEqual([{ id: e }]);
    const where = await api.query({ sd2: { $: { where: { title: 'same' } } } });
    expect(where.body.sd2 ?? []).toEqual([]);
    // No longer required, and the label (with the value it held, under a new unique attribute) is free.
    expect((await api.transact([['update', 'sd2', uuid(), {}]], {}, GUEST)).status).toBe(200);
    const again = dataAttr('sd2', 'title', { 'unique?': true });
    expect(
      (
        await api.transact([
          ['add-attr', again],
          ['update', 'sd2', uuid(), { title: 'same' }],
        ])
      ).status,
    ).toBe(200);
    expect((await api.query({ sd2: { $: { where: { title: 'same' } } } })).body.sd2).toHaveLength(1);
  });

  it('unlinks a deleted link and frees both of its labels', async () => {
    const author = linkAttr('sd3posts', 'author', 'sd3people', 'posts');
    const [post, person] = [uuid(), uuid()];
    await api.transact([
      ['add-attr', author],
      ['update', 'sd3people', person, { name: 'A' }],
      ['update', 'sd3posts', post, {}],
      ['link', 'sd3posts', post, { author: person }],
    ]);
    expect((await api.transact([['delete-attr', author.id]])).status).toBe(200);
    const [deleted] = (await softDeleted()).attrs.filter((attr: { id: string }) => attr.id === author.id);
    expect(deleted['reverse-identity']).toEqual([
      (author['reverse-identity'] as string[])[0],
      `${author.id}_deleted$sd3people`,
      `${author.id}_deleted$posts`,
    ]);
    expect((await api.query({ sd3people: { posts: {} } })).body.sd3people).toEqual([
      { id: person, name: 'A', posts: [] },
    ]);
    const relinked = linkAttr('sd3posts', 'author', 'sd3people', 'posts');
    expect(
      (
        await api.transact([
          ['add-attr', relinked],
          ['link', 'sd3posts', post, { author: person }],
        ])
      ).status,
    ).toBe(200);
    expect((await api.query({ sd3posts: { author: {} } })).body.sd3posts[0].author).toHaveLength(1);
  });

  it("keeps a deleted attribute's id taken: add-attr with it again conflicts, as in Instant", async () => {
    const color = dataAttr('sd5', 'color');
    await api.transact([['add-attr', color]]);
    expect((await api.transact([['delete-attr', color.id]])).status).toBe(200);
    const again = await api.transact([['add-attr', color]]);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({
      type: 'sql-raise',
      message: `Raised Exception: The attribute with id ${color.id} conflicts with an existing attribute with id ${color.id}.`,
    });
  });

  it('leaves system attributes and unknown ids alone', async () => {
    const email = (await schema()).blobs.$users.email;
    expect(
      (
        await api.transact([
          ['delete-attr', email.id],
          ['delete-attr', uuid()],
        ])
      ).status,
    ).toBe(200);
    expect((await schema()).blobs.$users.email).toEqual(email);
    expect((await softDeleted()).attrs.map((attr: { id: string }) => attr.id)).not.toContain(email.id);
  });

  it("records the namespace's id attribute even when the same transaction deletes it first", async () => {
    const id = dataAttr('sd4', 'id', { 'unique?': true, 'index?': true });
    const note = dataAttr('sd4', 'note');
    await api.transact([
      ['add-attr', id],
      ['add-attr', note],
    ]);
    expect(
      (
        await api.transact([
          ['delete-attr', id.id],
          ['delete-attr', note.id],
        ])
      ).status,
    ).toBe(200);
    const snapshots = (await softDeleted()).attrs
      .filter((attr: { id: string }) => attr.id === id.id || attr.id === note.id)
      .map((attr: any) => attr.metadata.soft_delete_snapshot.id_attr_id);
    expect(snapshots).toEqual([id.id, id.id]);
  });
});
