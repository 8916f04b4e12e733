// A backup zip written by Instant itself (its zeneca dev fixture, vendored in test/fixtures/instant-backup)
// must load here (`startLocalServer({ restore })`, the loader `serve --restore` uses): every entity,
// attribute value, link and `$users` row answers the same as in the zip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupApp } from '../../src/backup/backup-app.ts';
import { openBackup } from '../../src/backup/read-backup.ts';
import { verifyBackup } from '../../src/backup/verify-backup.ts';
import { type LocalServer, startLocalServer } from '../../src/server/index.ts';
import { runCli } from '../cli/run-cli.ts';

const ZIP = new URL('../fixtures/instant-backup/zeneca-backup.zip', import.meta.url).pathname;
const COUNTS = { $users: 4, books: 392, bookshelves: 45, users: 4 };
/** The link labels of each namespace in the zeneca schema (a has-many read from either side). */
const LINKS: Record<string, string[]> = {
  users: ['bookshelves'],
  bookshelves: ['books', 'users'],
  books: ['bookshelves'],
};

describe('a backup Instant wrote', () => {
  let server: LocalServer;
  const query = async (q: unknown) => {
    const response = await fetch(`${server.url}/admin/query`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'app-id': server.appId,
        authorization: `Bearer ${server.adminToken}`,
      },
      body: JSON.stringify({ query: q }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, Record<string, unknown>[]>;
  };

  beforeAll(async () => {
    server = await startLocalServer({ restore: ZIP });
  });
  afterAll(() => server.close());

  it('verifies: its counts and triple count are what its config.json says', async () => {
    expect(await verifyBackup(ZIP)).toEqual({ counts: COUNTS, tripleCount: 2855, files: 0, problems: [] });
  });

  it('loads with every entity, value and forward link the zip holds', async () => {
    const backup = await openBackup(ZIP);
    try {
      expect(backup.config.counts).toEqual(COUNTS);
      for (const ns of backup.namespaces) {
        const links = LINKS[ns] ?? [];
        const answer = await query({
          [ns]: Object.fromEntries(links.map((label) => [label, { $: { fields: ['id'] } }])),
        });
        const rows = new Map(answer[ns]!.map((row) => [row.id as string, row]));
        expect(rows.size, ns).toBe(COUNTS[ns as keyof typeof COUNTS]);
        for await (const { entity } of backup.entities(ns)) {
          const row = rows.get(entity.id as string);
          expect(row, `${ns} ${String(entity.id)}`).toBeDefined();
          for (const [label, value] of Object.entries(entity)) {
            if (links.includes(label)) {
              const ids = (row![label] as { id: string }[]).map((linked) => linked.id).sort();
              expect(ids, `${ns}.${label}`).toEqual([...(value as string[])].sort());
            } else expect(row![label], `${ns}.${label}`).toEqual(value);
          }
        }
      }
    } finally {
      backup.close();
    }
  });

  it('answers queries through its links', async () => {
    const { users } = await query({ users: { $: { where: { handle: 'stopa' } }, bookshelves: { books: {} } } });
    expect(users).toHaveLength(1);
    expect(users![0]!.email).toBe('stopa@instantdb.com');
    expect(users![0]!.bookshelves).toHaveLength(16);
    const { $users } = await query({ $users: {} });
    expect(($users as { email: string }[]).map((user) => user.email).sort()).toEqual(
      ['alex@instantdb.com', 'joe@instantdb.com', 'nicole@instantdb.com', 'stopa@instantdb.com'].sort(),
    );
  });

  it('backed up again through the Admin API, it gives the zip Instant wrote: same entries, config, schema, entities', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'instant-tx-instant-written-'));
    const out = join(dir, 'ours.zip');
    try {
      await backupApp({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url }, { out });
      const [theirs, ours] = [await openBackup(ZIP), await openBackup(out)];
      try {
        expect(ours.namespaces).toEqual(theirs.namespaces);
        expect(ours.config.counts).toEqual(theirs.config.counts);
        expect(ours.config.tripleCount).toEqual(theirs.config.tripleCount);
        expect(ours.config.schema).toEqual(theirs.config.schema); // attrs, configs, links (key order aside)
        const sorted = (entity: Record<string, unknown>) =>
          Object.fromEntries(
            Object.entries(entity).map(([key, value]) => [key, Array.isArray(value) ? [...value].sort() : value]),
          );
        for (const ns of theirs.namespaces) {
          const mine = new Map<unknown, Record<string, unknown>>();
          for await (const { entity } of ours.entities(ns)) mine.set(entity.id, sorted(entity));
          let count = 0;
          for await (const { entity } of theirs.entities(ns)) {
            expect(mine.get(entity.id), `${ns} ${String(entity.id)}`).toEqual(sorted(entity));
            count++;
          }
          expect(mine.size).toBe(count);
        }
      } finally {
        theirs.close();
        ours.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`instant-tx backup verify` accepts it', async () => {
    const run = await runCli(['backup', 'verify', ZIP, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1)!)).toMatchObject({ counts: COUNTS, problems: [] });
  });
});
