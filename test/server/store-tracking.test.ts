import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTR_DEFAULTS } from '../../src/server/store/attr.ts';
import { Storage } from '../../src/server/store/storage.ts';

describe('store: touched triples and identity ids', () => {
  it('remembers every (entity, attribute) a write touched, including the sources of removed links', () => {
    const storage = Storage.open(':memory:');
    const link = {
      ...ATTR_DEFAULTS,
      id: crypto.randomUUID(),
      ns: 'posts',
      label: 'author',
      revNs: 'users',
      revLabel: 'posts',
      valueType: 'ref' as const,
    };
    storage.registry.add(link);
    const [post, user] = [crypto.randomUUID(), crypto.randomUUID()];
    storage.write(() => storage.store.insert(post, link.id, user, 1));
    const touched = storage.write(() => {
      storage.store.removeValue(link.id, user);
      return storage.store.takeTouched();
    });
    expect([...touched]).toEqual([[post, new Set([link.id])]]);
    expect(storage.store.takeTouched().size).toBe(0);
    storage.close();
  });

  it('keeps identity ids, and adds their columns to a database made before them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'instant-tx-store-'));
    try {
      const path = join(dir, 'old.db');
      const old = new DatabaseSync(path);
      old.exec(`CREATE TABLE attrs (id TEXT PRIMARY KEY, ns TEXT NOT NULL, label TEXT NOT NULL, rev_ns TEXT, rev_label TEXT,
        value_type TEXT NOT NULL, cardinality TEXT NOT NULL, is_unique INTEGER NOT NULL DEFAULT 0,
        is_indexed INTEGER NOT NULL DEFAULT 0, is_required INTEGER NOT NULL DEFAULT 0, checked_type TEXT,
        on_delete TEXT, on_delete_reverse TEXT)`);
      old.exec(
        `INSERT INTO attrs (id, ns, label, value_type, cardinality) VALUES ('a1', 'goals', 'title', 'blob', 'one')`,
      );
      old.close();
      const storage = Storage.open(path);
      expect(storage.registry.byId('a1')?.fwdIdentId).toBeUndefined();
      const fwdIdentId = crypto.randomUUID();
      storage.registry.add({ ...ATTR_DEFAULTS, id: 'a2', ns: 'goals', label: 'done', fwdIdentId });
      storage.registry.reload();
      expect(storage.registry.byId('a2')?.fwdIdentId).toBe(fwdIdentId);
      storage.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('announces only the changes a write kept: a savepoint rolled back (a dry run) takes its changes with it', () => {
    const storage = Storage.open(':memory:');
    const title = { ...ATTR_DEFAULTS, id: crypto.randomUUID(), ns: 'goals', label: 'title' };
    const done = { ...ATTR_DEFAULTS, id: crypto.randomUUID(), ns: 'goals', label: 'done' };
    storage.registry.add(title);
    storage.registry.add(done);
    const commits: { attrs: string[]; entities: string[] }[] = [];
    storage.onCommit(({ changed }) => commits.push({ attrs: [...changed.attrs], entities: [...changed.entities] }));
    const [kept, undone] = [crypto.randomUUID(), crypto.randomUUID()];
    storage.write(() => {
      storage.store.insert(kept, title.id, 'Get fit', 1);
      storage.tentatively(() => {
        storage.store.insert(undone, done.id, true, 1);
        return { result: undefined, keep: false };
      });
      storage.tentatively(() => {
        storage.store.insert(kept, done.id, false, 1);
        return { result: undefined, keep: true };
      });
    });
    expect(commits).toEqual([{ attrs: [title.id, done.id], entities: [kept] }]);
    // Nothing but a rolled-back savepoint: nothing to announce.
    storage.write(() =>
      storage.tentatively(() => {
        storage.store.insert(undone, title.id, 'x', 1);
        return { result: undefined, keep: false };
      }),
    );
    expect(commits).toHaveLength(1);
    storage.close();
  });

  it('a write remembers entities it found empty, and still sees what it writes to them', () => {
    const storage = Storage.open(':memory:');
    const title = { ...ATTR_DEFAULTS, id: crypto.randomUUID(), ns: 'goals', label: 'title' };
    storage.registry.add(title);
    const e = crypto.randomUUID();
    storage.write(() => {
      expect(storage.store.ofEntity(e)).toEqual([]);
      expect(storage.store.values(e, title.id)).toEqual([]);
      storage.store.insert(e, title.id, 'a', 1);
      expect(storage.store.values(e, title.id).map((t) => t.v)).toEqual(['a']);
    });
    // The next write knows nothing of the last one's reads: the value is read from SQLite.
    storage.write(() => {
      expect(storage.store.values(e, title.id).map((t) => t.v)).toEqual(['a']);
    });
    storage.close();
  });

  it('a savepoint rolled back after it emptied an entity: the write reads the entity as it is again', () => {
    const storage = Storage.open(':memory:');
    const title = { ...ATTR_DEFAULTS, id: crypto.randomUUID(), ns: 'goals', label: 'title' };
    storage.registry.add(title);
    const e = crypto.randomUUID();
    storage.write(() => storage.store.insert(e, title.id, 'kept', 1));
    storage.write(() => {
      storage.tentatively(() => {
        storage.store.clear(e, title.id);
        expect(storage.store.ofEntity(e)).toEqual([]);
        return { result: undefined, keep: false };
      });
      expect(storage.store.values(e, title.id).map((t) => t.v)).toEqual(['kept']);
    });
    storage.close();
  });

  it('the tx-id counter read after a write that changed no data is the new one', () => {
    const storage = Storage.open(':memory:');
    const before = storage.currentTxId();
    storage.write(() => storage.nextTxId());
    expect(storage.currentTxId()).toBe(before + 1);
    storage.write(() => storage.nextTxId());
    expect(storage.currentTxId()).toBe(before + 2);
    storage.close();
  });
});
