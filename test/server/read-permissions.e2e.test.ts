import { beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../src/server/index.ts';
import { linkAttr } from '../support/attr-steps.ts';
import { useServer, uuid } from './helpers.ts';

const GUEST = { 'as-guest': 'true', authorization: '' } as const;

/**
 * Owners are visible when public; books unless hidden. A book's `isbn` shows only on "Open", and its
 * `owner` link only where the title is not "Masked" (a field rule on a link label).
 */
const rules = {
  owners: { allow: { view: 'data.public == true' } },
  books: {
    allow: { view: 'data.hidden != true' },
    fields: { isbn: "data.title == 'Open'", owner: "data.title != 'Masked'" },
  },
};

const ids = {
  pub: uuid(),
  priv: uuid(),
  open: uuid(),
  closed: uuid(),
  hidden: uuid(),
  masked: uuid(),
  orphan: uuid(),
};

type Row = Record<string, unknown>;
const titles = (rows: Row[]): string[] => rows.map((row) => String(row.title ?? row.name)).sort();

describe('read permissions: where paths, field rules and linked rows', () => {
  const api = useServer({ rules });

  beforeAll(async () => {
    const link = linkAttr('books', 'owner', 'owners', 'books');
    const steps = [
      ['add-attr', link],
      ['update', 'owners', ids.pub, { name: 'Pub', public: true }],
      ['update', 'owners', ids.priv, { public: false }],
      ['update', 'books', ids.open, { title: 'Open', isbn: '111' }],
      ['update', 'books', ids.closed, { title: 'Closed', isbn: '222' }],
      ['update', 'books', ids.hidden, { title: 'Hidden', hidden: true }],
      ['update', 'books', ids.masked, { title: 'Masked' }],
      ['update', 'books', ids.orphan, { title: 'Orphan' }],
      ['link', 'books', ids.open, { owner: ids.pub }],
      ['link', 'books', ids.closed, { owner: ids.priv }],
      ['link', 'books', ids.hidden, { owner: ids.pub }],
      ['link', 'books', ids.masked, { owner: ids.pub }],
    ];
    const answer = await api.transact(steps);
    expect(answer.status, answer.text).toBe(200);
  });

  const rows = async (query: Row, as: Record<string, string> = {}): Promise<Row[]> => {
    const answer = await api.query(query, {}, as);
    expect(answer.status, answer.text).toBe(200);
    return Object.values(answer.body)[0] as Row[];
  };
  const where = (ns: string, clause: Row): Row => ({ [ns]: { $: { where: clause } } });

  it('a where path reaches only entities the caller may view (forward link)', async () => {
    expect(titles(await rows(where('books', { 'owner.public': false })))).toEqual(['Closed']);
    expect(await rows(where('books', { 'owner.public': false }), GUEST)).toEqual([]);
    expect(titles(await rows(where('books', { 'owner.name': 'Pub' }), GUEST))).toEqual(['Open']);
  });

  it('a where path reaches only entities the caller may view (reverse link)', async () => {
    expect(titles(await rows(where('owners', { 'books.title': 'Hidden' })))).toEqual(['Pub']);
    expect(await rows(where('owners', { 'books.title': 'Hidden' }), GUEST)).toEqual([]);
    expect(titles(await rows(where('owners', { 'books.title': 'Open' }), GUEST))).toEqual(['Pub']);
  });

  it('a link whose field rule fails is not followed, in a where or as a child', async () => {
    expect(titles(await rows(where('books', { 'owner.name': 'Pub' })))).toEqual(['Hidden', 'Masked', 'Open']);
    const owners = await rows({ owners: { $: { where: { name: 'Pub' } }, books: {} } }, GUEST);
    expect(titles(owners[0]!.books as Row[])).toEqual(['Open']);
    const asAdmin = await rows({ owners: { $: { where: { name: 'Pub' } }, books: {} } });
    expect(titles(asAdmin[0]!.books as Row[])).toEqual(['Hidden', 'Masked', 'Open']);
  });

  it('$isNull through a link: an unviewable entity is neither a value nor a missing one', async () => {
    expect(titles(await rows(where('books', { 'owner.name': { $isNull: true } })))).toEqual(['Closed', 'Orphan']);
    expect(titles(await rows(where('books', { 'owner.name': { $isNull: true } }), GUEST))).toEqual(['Orphan']);
  });

  it('a field rule that fails removes the key from the row; id always stays', async () => {
    const guest = await rows({ books: {} }, GUEST);
    const byTitle = Object.fromEntries(guest.map((row) => [row.title, row]));
    expect(byTitle.Open).toEqual({ id: ids.open, title: 'Open', isbn: '111', owner: ids.pub });
    expect(byTitle.Closed).toEqual({ id: ids.closed, title: 'Closed', owner: ids.priv });
    expect(byTitle.Masked).toEqual({ id: ids.masked, title: 'Masked' });
    expect(byTitle.Hidden).toBeUndefined();
    const picked = await rows({ books: { $: { fields: ['isbn'], where: { title: 'Closed' } } } }, GUEST);
    expect(picked).toEqual([{ id: ids.closed }]);
    const admin = await rows(where('books', { title: 'Closed' }));
    expect(admin).toEqual([{ id: ids.closed, title: 'Closed', isbn: '222', owner: ids.priv }]);
  });

  it('a where on a hidden field does not see its value, but $isNull still sees whether it is set', async () => {
    expect(titles(await rows(where('books', { isbn: '222' })))).toEqual(['Closed']);
    expect(await rows(where('books', { isbn: '222' }), GUEST)).toEqual([]);
    expect(titles(await rows(where('books', { isbn: { $not: '111' } }), GUEST))).toEqual(['Masked', 'Orphan']);
    expect(titles(await rows(where('books', { isbn: { $isNull: false } }), GUEST))).toEqual(['Closed', 'Open']);
    expect(titles(await rows(where('books', { isbn: { $isNull: true } }), GUEST))).toEqual(['Masked', 'Orphan']);
  });

  it('query_perms_check applies both and evaluates each rule once per entity', async () => {
    const answer = await api.call(
      'POST',
      '/admin/query_perms_check',
      { query: { books: { $: { where: { 'owner.public': true } } } } },
      { 'as-guest': 'true' },
    );
    expect(answer.status, answer.text).toBe(200);
    expect(titles(answer.body.result.books)).toEqual(['Open']);
    const checks = answer.body['check-results'] as Row[];
    const keys = checks.map((check) => `${check.entity}/${check.id}/${check.label}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(checks.filter((check) => check.id === ids.pub)).toMatchObject([
      { entity: 'owners', label: null, check: true, program: { etype: 'owners', action: 'view' } },
    ]);
    expect(checks).toContainEqual(
      expect.objectContaining({ entity: 'books', id: ids.masked, label: 'owner', check: false }),
    );
    expect(checks).toContainEqual(
      expect.objectContaining({ entity: 'books', id: ids.open, label: 'isbn', check: true }),
    );
  });
});

describe('field rules for id are refused', () => {
  it('when the server starts', async () => {
    await expect(startLocalServer({ rules: { books: { fields: { id: 'false' } } } })).rejects.toThrow(
      /books\.fields\.id: You cannot set field rules for `id`\. Use books -> allow -> view instead/,
    );
  });

  const api = useServer();
  it('in a rules-override', async () => {
    const answer = await api.call(
      'POST',
      '/admin/query_perms_check',
      { query: { books: {} }, 'rules-override': { books: { fields: { id: 'false' } } } },
      { 'as-guest': 'true' },
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      type: 'validation-failed',
      message: 'Validation failed for rule: You cannot set field rules for `id`. Use books -> allow -> view instead',
    });
  });
});
