/** The backup's schema from whatever `GET /admin/schema` answers (Instant's `attrs->schema`, a list, or defs), and the attributes it declares. */
import { describe, expect, it } from 'vitest';
import type { BackupSchema } from '../../src/backup/backup-format.ts';
import { backupSchemaOf, namespacesToBackUp, type SchemaAttr, schemaAttrs } from '../../src/backup/backup-schema.ts';

const record = (ns: string, label: string, extra: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  'value-type': 'blob',
  cardinality: 'one',
  'forward-identity': [crypto.randomUUID(), ns, label],
  'unique?': false,
  'index?': false,
  'required?': false,
  catalog: 'user',
  ...extra,
});

const title = record('books', 'title', { 'index?': true, 'checked-data-type': 'string', 'required?': true });
const meta = record('books', 'meta');
const id = record('books', 'id', { 'unique?': true });
const author = record('books', 'author', {
  'value-type': 'ref',
  'reverse-identity': [crypto.randomUUID(), 'authors', 'books'],
  'on-delete': 'cascade',
});
const shelves = record('users', 'shelves', {
  'value-type': 'ref',
  cardinality: 'many',
  'unique?': true,
  'reverse-identity': [crypto.randomUUID(), 'shelves', 'owner'],
});

/** What Instant's `schema->defs` makes of those records. */
const DEFS: BackupSchema = {
  entities: {
    books: {
      attrs: {
        title: { valueType: 'string', config: { unique: false, indexed: true }, required: true },
        meta: { valueType: 'any', config: { unique: false, indexed: false } },
      },
    },
  },
  links: {
    booksAuthor: {
      forward: { on: 'books', label: 'author', has: 'one', onDelete: 'cascade' },
      reverse: { on: 'authors', label: 'books', has: 'many' },
    },
    usersShelves: {
      forward: { on: 'users', label: 'shelves', has: 'many' },
      reverse: { on: 'shelves', label: 'owner', has: 'one' },
    },
  },
};

describe('backupSchemaOf', () => {
  it("reads Instant's GET /admin/schema answer (blobs by namespace and label, refs by joined identity)", () => {
    const answer = {
      blobs: { books: { title, meta, id } },
      refs: { 'books-author-authors-books': author, 'users-shelves-shelves-owner': shelves },
    };
    expect(backupSchemaOf(answer)).toEqual(DEFS);
  });

  it('reads a list of attribute records, and a schema already in {entities, links} form', () => {
    expect(backupSchemaOf([title, meta, id, author, shelves])).toEqual(DEFS);
    expect(backupSchemaOf({ attrs: [title, meta, id, author, shelves] })).toEqual(DEFS);
    expect(backupSchemaOf(DEFS)).toEqual(DEFS);
  });

  it('ignores what it cannot read rather than failing on it', () => {
    expect(backupSchemaOf({ blobs: { books: { x: 1, y: { 'forward-identity': 'nope' } } }, refs: [] })).toEqual({
      entities: {},
      links: {},
    });
    expect(backupSchemaOf(null)).toEqual({ entities: {}, links: {} });
  });
});

describe('namespacesToBackUp', () => {
  it("app namespaces, $users and $files, each with its forward links (a namespace only a link names too); not Instant's own $-namespaces", () => {
    const plan = namespacesToBackUp({
      ...DEFS,
      entities: { ...DEFS.entities, $users: { attrs: {} }, $files: { attrs: {} }, $streams: { attrs: {} } },
    });
    expect(plan).toEqual([
      { name: '$files', links: [] },
      { name: '$users', links: [] },
      { name: 'authors', links: [] },
      { name: 'books', links: [{ label: 'author', has: 'one' }] },
      { name: 'shelves', links: [] },
      { name: 'users', links: [{ label: 'shelves', has: 'many' }] },
    ]);
  });
});

describe('schemaAttrs', () => {
  it("is Instant's defs->schema: an id per namespace, data attributes as declared, links as unindexed refs", () => {
    const attrs = schemaAttrs({
      entities: {
        books: {
          attrs: {
            title: { valueType: 'string', config: { unique: true, indexed: true }, required: true },
            meta: { valueType: 'json', config: { unique: false, indexed: false } },
          },
        },
      },
      links: {
        booksAuthor: {
          forward: { on: 'books', label: 'author', has: 'one', required: true, onDelete: 'cascade' },
          reverse: { on: 'authors', label: 'books', has: 'many' },
        },
      },
    });
    const brief = (attr: SchemaAttr) =>
      `${attr.ns}.${attr.label} ${attr.valueType}/${attr.cardinality}${attr.unique ? ' unique' : ''}${attr.indexed ? ' indexed' : ''}${attr.required ? ' required' : ''}${attr.checkedType ? ` ${attr.checkedType}` : ''}${attr.revNs ? ` ↔ ${attr.revNs}.${attr.revLabel}` : ''}${attr.onDelete ? ` on-delete ${attr.onDelete}` : ''}`;
    expect(attrs.map(brief)).toEqual([
      'books.id blob/one unique indexed',
      'authors.id blob/one unique indexed',
      'books.title blob/one unique indexed required string',
      'books.meta blob/one',
      'books.author ref/one required ↔ authors.books on-delete cascade',
    ]);
  });
});
