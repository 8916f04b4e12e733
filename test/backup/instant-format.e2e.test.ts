/**
 * Instant's backup format, read and written: a zip made by hand the way Instant's CLI makes it (zip.js,
 * ZIP64, data descriptors; config.json as `instant.backup` writes it) opened locally and queried; our
 * writer's zips read back; and every way a zip can be bad rejected with nothing written.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { init } from '../../src/client/init.ts';
import { InstantBackupError } from '../../src/errors/instant-backup-error.ts';
import { openBackup, readBackup, verifyBackup, writeBackup } from '../../src/backup/index.ts';
import { startLocalServer, InstantServerStartError } from '../../src/server/index.ts';
import { instantStyleZip } from './instant-zip.ts';

const dir = mkdtempSync(join(tmpdir(), 'instant-tx-backup-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ALICE = '1c774801-bdb5-459b-bb04-07f7964a7e77';
const BOB = '3f2ad28e-440e-493b-a855-d43fa69566ed';
const SHELF = '0e12d1fc-a1cf-412a-8ee6-d6d64677d7b1';
const BOOK_1 = 'f11c998f-d951-426b-b2b1-ffcb8d17bac5';
const BOOK_2 = '00307923-e566-419c-9753-915bf3012e99';
const FILE = '9dea2987-27a4-4a2b-bb46-222491e4a575';
const LOCATION = 'a31b863a-9d08-498f-ab3a-c47b41a11f83';
const APP = '7e408400-5f7d-4682-86f3-07536e1803df';
const BLOB = Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]);

/** config.json with the keys in the order `instant.backup/complete-streams` builds it. */
const CONFIG = {
  counts: { $files: 1, $users: 2, books: 2, bookshelves: 1 },
  tripleCount: 23,
  schema: {
    entities: {
      books: {
        attrs: {
          title: { valueType: 'string', config: { unique: false, indexed: true } },
          pageCount: { valueType: 'number', config: { unique: false, indexed: true } },
          meta: { valueType: 'any', config: { unique: false, indexed: false } },
        },
      },
      bookshelves: {
        attrs: { name: { valueType: 'string', config: { unique: false, indexed: false }, required: true } },
      },
      $files: {
        attrs: {
          path: { valueType: 'string', config: { unique: true, indexed: true }, required: true },
          url: { valueType: 'string', config: { unique: false, indexed: false }, required: true },
        },
      },
      $users: { attrs: { email: { valueType: 'string', config: { unique: true, indexed: true } } } },
    },
    links: {
      bookshelvesBooks: {
        forward: { on: 'bookshelves', label: 'books', has: 'many' },
        reverse: { on: 'books', label: 'bookshelves', has: 'many' },
      },
      bookshelvesOwner: {
        forward: { on: 'bookshelves', label: 'owner', has: 'one', onDelete: 'cascade' },
        reverse: { on: '$users', label: 'shelves', has: 'many' },
      },
      booksCover: {
        forward: { on: 'books', label: 'cover', has: 'one' },
        reverse: { on: '$files', label: 'book', has: 'one' },
      },
    },
  },
  rules: { bookshelves: { allow: { view: 'auth.id in data.ref("owner.id")' } } },
  webhooks: [],
  emailTemplates: [],
  authorizedRedirectOrigins: [],
  title: 'zeneca',
  appId: APP,
  backupAt: '2026-11-20T03:00:00Z',
  isn: null,
  description: 'Automated Daily Snapshot',
};

const lines = (rows: unknown[]) => rows.map((row) => `${JSON.stringify(row)}\n`).join('');

/** Entity lines as Instant writes them: keys in attribute-id order (so `id` is not always first). */
function instantEntries(config: unknown = CONFIG): [string, Buffer | string][] {
  return [
    ['config.json', JSON.stringify(config)],
    [
      'entities/$files.jsonl',
      lines([
        {
          entity: {
            'content-type': 'image/png',
            path: 'covers/sum.png',
            id: FILE,
            'location-id': LOCATION,
            size: BLOB.length,
            'content-disposition': 'inline',
          },
          createdAt: 1718117715000,
        },
      ]),
    ],
    [
      'entities/$users.jsonl',
      lines([
        { entity: { email: 'alice@example.com', id: ALICE }, createdAt: 1734530360391 },
        { entity: { email: 'bob@example.com', id: BOB }, createdAt: 1734530360368 },
      ]),
    ],
    [
      'entities/books.jsonl',
      lines([
        // BOOK_2 sorts before BOOK_1 by id but was created after it: the default order must follow createdAt.
        {
          entity: { title: 'Sum', id: BOOK_1, pageCount: 107, cover: FILE, meta: { tags: ['a', 'b'] } },
          createdAt: 1718117715976,
        },
        { entity: { id: BOOK_2, title: 'Guns, Germs, and Steel', pageCount: 528 }, createdAt: 1718117715999 },
      ]),
    ],
    [
      'entities/bookshelves.jsonl',
      lines([
        { entity: { id: SHELF, name: 'Favourites', books: [BOOK_1, BOOK_2], owner: ALICE }, createdAt: 1718117716000 },
      ]),
    ],
    [`files/${LOCATION}`, BLOB],
  ];
}

function writeZip(name: string, entries: [string, Buffer | string][]): string {
  const path = join(dir, name);
  writeFileSync(path, instantStyleZip(entries));
  return path;
}

const client = (server: { appId: string; adminToken: string; url: string }) =>
  init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });

describe("a backup zip made the way Instant's CLI makes it", () => {
  const path = writeZip('instant.zip', instantEntries());

  it('is read in order: config, every entity line, then the files with their bytes', async () => {
    const items: string[] = [];
    for await (const item of readBackup(path)) {
      if (item.kind === 'config') items.push(`config ${item.config.title} ${item.config.tripleCount}`);
      if (item.kind === 'entity') items.push(`${item.namespace} ${item.entity.id} ${item.createdAt}`);
      if (item.kind === 'file') {
        const chunks: Buffer[] = [];
        for await (const chunk of item.body) chunks.push(chunk as Buffer);
        expect(Buffer.concat(chunks)).toEqual(BLOB);
        items.push(`file ${item.locationId} ${item.size}`);
      }
    }
    expect(items).toEqual([
      'config zeneca 23',
      `$files ${FILE} 1718117715000`,
      `$users ${ALICE} 1734530360391`,
      `$users ${BOB} 1734530360368`,
      `books ${BOOK_1} 1718117715976`,
      `books ${BOOK_2} 1718117715999`,
      `bookshelves ${SHELF} 1718117716000`,
      `file ${LOCATION} ${BLOB.length}`,
    ]);
  });

  it('opens locally: the app answers queries with its links, users, files, creation order and rules', async () => {
    const server = await startLocalServer({ restore: path });
    try {
      expect(server.appId).toBe(APP);
      const db = client(server);
      const result = (await db.query({
        books: { cover: {}, bookshelves: { owner: {} } },
        $users: { shelves: {} },
        bookshelves: { books: { $: { fields: ['id'] } }, owner: {} },
      } as never)) as any;
      expect(result.books.map((book: any) => book.id)).toEqual([BOOK_1, BOOK_2]);
      expect(result.books[0]).toMatchObject({ title: 'Sum', pageCount: 107, meta: { tags: ['a', 'b'] } });
      expect(result.books[0].cover[0]).toMatchObject({ id: FILE, path: 'covers/sum.png', size: BLOB.length });
      expect(result.books[0].bookshelves[0].owner[0].email).toBe('alice@example.com');
      expect(result.bookshelves[0].books.map((book: any) => book.id).sort()).toEqual([BOOK_1, BOOK_2].sort());
      expect(result.$users.find((user: any) => user.id === ALICE).shelves.map((s: any) => s.id)).toEqual([SHELF]);
      const response = await fetch(result.books[0].cover[0].url);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await response.arrayBuffer())).toEqual(BLOB);
      // The backup's rules: only the owner sees a bookshelf.
      expect(((await db.asUser({ email: 'bob@example.com' }).query({ bookshelves: {} })) as any).bookshelves).toEqual(
        [],
      );
      expect(
        ((await db.asUser({ email: 'alice@example.com' }).query({ bookshelves: {} })) as any).bookshelves,
      ).toHaveLength(1);
      // The schema came along: title is an indexed string (orderable), name required.
      const ordered = (await db.query({ books: { $: { order: { title: 'asc' } } } } as never)) as any;
      expect(ordered.books.map((book: any) => book.title)).toEqual(['Guns, Germs, and Steel', 'Sum']);
      await expect(db.transact([['update', 'bookshelves', crypto.randomUUID(), {}]] as never)).rejects.toThrow(/name/);
    } finally {
      await server.close();
    }
  });

  it("keeps the backup's rules with the database: a restart without rules still enforces them", async () => {
    const dbPath = join(mkdtempSync(join(dir, 'rules-')), 'app.db');
    const restored = await startLocalServer({ restore: path, dbPath });
    await restored.close();
    const restarted = await startLocalServer({ dbPath });
    try {
      const db = client(restarted);
      expect(((await db.asUser({ email: 'bob@example.com' }).query({ bookshelves: {} })) as any).bookshelves).toEqual(
        [],
      );
      expect(((await db.query({ bookshelves: {} })) as any).bookshelves).toHaveLength(1);
    } finally {
      await restarted.close();
    }
  });

  it('also loads the older config.json Instant wrote (no appId, backupAt, redirect origins; rules null)', async () => {
    const { appId: _a, backupAt: _b, isn: _i, description: _d, authorizedRedirectOrigins: _o, ...older } = CONFIG;
    const server = await startLocalServer({
      restore: writeZip('older.zip', instantEntries({ ...older, rules: null })),
    });
    try {
      expect(server.appId).not.toBe(APP);
      expect(
        ((await client(server).asUser({ guest: true }).query({ bookshelves: {} })) as any).bookshelves,
      ).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe('writeBackup', () => {
  it('writes a zip in the same format that reads back line for line, counts computed', async () => {
    const path = join(dir, 'written.zip');
    const source = instantEntries();
    const entities = [];
    for await (const item of readBackup(writeZip('source.zip', source)))
      if (item.kind === 'entity')
        entities.push({ namespace: item.namespace, entity: item.entity, createdAt: item.createdAt });
    const { counts: _c, tripleCount: _t, ...config } = CONFIG;
    const summary = await writeBackup(path, {
      config: config as never,
      entities,
      files: [{ locationId: LOCATION, open: () => Readable.from([BLOB]) }],
    });
    expect(summary).toMatchObject({ counts: CONFIG.counts, tripleCount: CONFIG.tripleCount, files: 1 });
    const backup = await openBackup(path);
    try {
      expect(backup.config).toEqual(CONFIG);
      expect(backup.namespaces).toEqual(['$files', '$users', 'books', 'bookshelves']);
      const read = [];
      for (const ns of backup.namespaces)
        for await (const line of backup.entities(ns)) read.push({ namespace: ns, ...line });
      expect(read).toEqual(entities);
    } finally {
      backup.close();
    }
    // The first entry is config.json, as Instant's restore requires.
    expect(
      readFileSync(path)
        .subarray(30, 30 + 'config.json'.length)
        .toString(),
    ).toBe('config.json');
  });
});

describe('a bad backup is rejected with a clear error and nothing written', () => {
  const fresh = () => join(mkdtempSync(join(dir, 'db-')), 'app.db');

  async function expectEmpty(dbPath: string): Promise<void> {
    const server = await startLocalServer({ dbPath });
    try {
      const result = (await client(server).query({ books: {}, $users: {}, $files: {} } as never)) as any;
      expect(result).toEqual({ books: [], $users: [], $files: [] });
    } finally {
      await server.close();
    }
  }

  async function expectRejected(path: string, message: RegExp): Promise<void> {
    const dbPath = fresh();
    const error = await startLocalServer({ restore: path, dbPath }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InstantServerStartError);
    expect((error as InstantServerStartError).problem).toBe('restore');
    expect((error as Error).message).toMatch(message);
    await expectEmpty(dbPath);
  }

  it('a truncated zip', async () => {
    const whole = instantStyleZip(instantEntries());
    const path = join(dir, 'truncated.zip');
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.7)));
    await expectRejected(path, /not a readable zip \(truncated or corrupt\?\)/);
    await expect(openBackup(path)).rejects.toBeInstanceOf(InstantBackupError);
  });

  it('a corrupt entry (a flipped byte in the last namespace): checksum or inflate error, nothing of the earlier ones kept', async () => {
    const entries = instantEntries();
    const shelves = entries.findIndex(([name]) => name === 'entities/bookshelves.jsonl');
    // Stored so the flipped byte reaches the checksum rather than the inflater: replace the content by
    // the same length of different bytes after the zip is built, at its offset.
    const zip = instantStyleZip(entries);
    const content = Buffer.from(entries[shelves]![1] as string);
    const at = zip.indexOf(Buffer.from('entities/bookshelves.jsonl')) + 'entities/bookshelves.jsonl'.length + 20 + 5;
    zip[at] = zip[at]! ^ 0xff;
    expect(content.length).toBeGreaterThan(0);
    const path = join(dir, 'corrupt.zip');
    writeFileSync(path, zip);
    await expectRejected(path, /entities\/bookshelves\.jsonl: (checksum mismatch|corrupt entry)/);
  });

  it('a blob whose bytes do not match its checksum', async () => {
    const zip = instantStyleZip(instantEntries());
    const path = join(dir, 'bad-blob.zip');
    const at = zip.indexOf(Buffer.from(`files/${LOCATION}`)) + `files/${LOCATION}`.length + 20 + 2;
    zip[at] = zip[at]! ^ 0x01;
    writeFileSync(path, zip);
    await expectRejected(path, new RegExp(`files/${LOCATION}: (checksum mismatch|corrupt entry)`));
  });

  it('entries out of order, a line that is not an entity, an attribute the schema lacks, a missing blob', async () => {
    const entries = instantEntries();
    await expectRejected(
      writeZip('order.zip', [entries[1]!, entries[0]!, ...entries.slice(2)]),
      /expected config\.json as the first entry/,
    );
    await expectRejected(
      writeZip('line.zip', [
        ...entries.slice(0, 4),
        ['entities/bookshelves.jsonl', '{"entity":{"id":"x"},"createdAt":1}\n'],
        entries[5]!,
      ]),
      /entities\/bookshelves\.jsonl:1: the entity has no UUID id/,
    );
    await expectRejected(
      writeZip('attr.zip', [
        ...entries.slice(0, 4),
        ['entities/bookshelves.jsonl', lines([{ entity: { id: SHELF, name: 'x', colour: 'red' }, createdAt: 1 }])],
        entries[5]!,
      ]),
      /missing attr for bookshelves\.colour/,
    );
    await expectRejected(writeZip('blob.zip', entries.slice(0, 5)), /missing the file blob for the \$files entity/);
    await expectRejected(writeZip('json.zip', [['config.json', '{"counts":']]), /config\.json: invalid JSON/);
    await expectRejected(join(dir, 'nope.zip'), /cannot restore .*nope\.zip: no such file/);
    await expectRejected(dir, /cannot restore .*: it is a directory; pass the backup zip$/);
  });

  it('a database that holds data is refused unless asked to replace it', async () => {
    const dbPath = fresh();
    const path = writeZip('replace.zip', instantEntries());
    const first = await startLocalServer({ dbPath });
    await client(first).transact([['update', 'notes', crypto.randomUUID(), { text: 'mine' }]] as never);
    await first.close();
    await expect(startLocalServer({ dbPath, restore: path })).rejects.toThrow(/already holds data/);
    const replaced = await startLocalServer({ dbPath, restore: path, replaceData: true });
    try {
      const result = (await client(replaced).query({ notes: {}, books: {} } as never)) as any;
      expect(result.notes).toEqual([]);
      expect(result.books).toHaveLength(2);
    } finally {
      await replaced.close();
    }
  });
});

describe('hostile names in a backup', () => {
  it('a namespace called __proto__ is a namespace like any other; a file entry with a path is refused', async () => {
    const proto = '6ea8d09f-bc20-428d-8024-249fa26eec78';
    const path = writeZip('proto.zip', [
      [
        'config.json',
        JSON.stringify({
          counts: JSON.parse('{"__proto__": 1}'),
          tripleCount: 2,
          schema: JSON.parse(
            '{"entities": {"__proto__": {"attrs": {"constructor": {"valueType": "string", "config": {"unique": false, "indexed": false}}}}}, "links": {}}',
          ),
          rules: null,
        }),
      ],
      ['entities/__proto__.jsonl', `{"entity":{"id":"${proto}","constructor":"x"},"createdAt":1}\n`],
    ]);
    const verified = await verifyBackup(path);
    expect(verified.problems).toEqual([]);
    expect(Object.hasOwn(verified.counts, '__proto__')).toBe(true);
    const server = await startLocalServer({ restore: path });
    try {
      expect(await client(server).query(JSON.parse('{"__proto__": {}}') as never)).toEqual(
        JSON.parse(`{"__proto__": [{"id": "${proto}", "constructor": "x"}]}`),
      );
    } finally {
      await server.close();
    }
    const traversal = writeZip('traversal.zip', [...instantEntries().slice(0, 5), ['files/../../etc/passwd', 'x']]);
    await expect(openBackup(traversal)).rejects.toThrow(/invalid relative path: files\/\.\.\/\.\.\/etc\/passwd/);
  });
});
