import { describe, expect, it } from 'vitest';
import { useServer, uuid } from './helpers.ts';

describe('a link a write creates on its own, whose reverse name another attribute holds', () => {
  const api = useServer();

  it('is record-not-unique (was a 500 from the database), and nothing is written', async () => {
    const holder = {
      id: uuid(),
      'forward-identity': [uuid(), 'owners', 'things'],
      'reverse-identity': [uuid(), 'tags', 'posts'],
      'value-type': 'ref',
      cardinality: 'many',
      'unique?': false,
      'index?': false,
    };
    expect((await api.transact([['add-attr', holder]])).status).toBe(200);
    const schema = await api.call('GET', '/admin/schema');
    const post = uuid();
    const answer = await api.transact([
      ['update', 'posts', post, { title: 'p' }],
      ['link', 'posts', post, { tags: uuid() }],
    ]);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      type: 'record-not-unique',
      message: '`posts` already exists on `tags`',
      hint: { 'record-type': 'ident', etype: 'tags', label: 'posts' },
    });
    expect((await api.call('GET', '/admin/schema')).body).toEqual(schema.body);
    expect((await api.query({ posts: {} })).body.posts).toEqual([]);
  });
});

describe('names a database cannot store as they are', () => {
  const api = useServer();

  it.each([
    ['a lone surrogate', '\ud800'],
    ['a NUL character', 'a\u0000b'],
  ])('a namespace or label with %s is refused, before anything is written', async (_what, name) => {
    const before = (await api.call('GET', '/admin/schema')).body;
    for (const steps of [
      [['update', name, uuid(), { title: 'x' }]],
      [['update', 'goals', uuid(), { [name]: 1 }]],
      [['link', 'goals', uuid(), { [name]: uuid() }]],
    ]) {
      const answer = await api.transact(steps);
      expect(answer.status).toBe(400);
      expect(answer.body.type).toBe('validation-failed');
    }
    expect((await api.call('GET', '/admin/schema')).body).toEqual(before);
  });
});
