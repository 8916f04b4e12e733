import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTR_DEFAULTS } from '../../src/server/store/attr.ts';
import { Storage } from '../../src/server/store/storage.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('store: inferred types and soft-deleted attributes', () => {
  it('opens a database made before both, with its attributes live and no types recorded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'instant-tx-store-'));
    try {
      const path = join(dir, 'old.db');
      const old = new DatabaseSync(path);
      old.exec(`CREATE TABLE attrs (id TEXT PRIMARY KEY, ns TEXT NOT NULL, label TEXT NOT NULL, rev_ns TEXT, rev_label TEXT,
        value_type TEXT NOT NULL, cardinality TEXT NOT NULL, is_unique INTEGER NOT NULL DEFAULT 0,
        is_indexed INTEGER NOT NULL DEFAULT 0, is_required INTEGER NOT NULL DEFAULT 0, checked_type TEXT,
        on_delete TEXT, on_delete_reverse TEXT, fwd_ident_id TEXT, rev_ident_id TEXT)`);
      old.exec(
        `INSERT INTO attrs (id, ns, label, value_type, cardinality) VALUES ('a1', 'goals', 'title', 'blob', 'one')`,
      );
      old.close();
      const storage = Storage.open(path);
      expect(storage.registry.byId('a1')?.inferredTypes).toBeUndefined();
      storage.write(() => storage.registry.addInferredType('a1', 'json'));
      expect(storage.registry.softDeleted()).toEqual([]);
      storage.close();
      const again = Storage.open(path);
      expect(again.registry.byId('a1')?.inferredTypes).toBe(8);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a soft-deleted attribute and its triples for the grace period, then deletes both', () => {
    let now = 1_000 * DAY;
    const storage = Storage.open(':memory:', { now: () => now });
    const attr = { ...ATTR_DEFAULTS, id: 'a1', ns: 'goals', label: 'title', indexed: true };
    storage.write(() => {
      storage.registry.add(attr);
      storage.store.insert('e1', 'a1', 'hello', now);
      storage.registry.softDelete('a1', null, storage.now());
    });
    expect(storage.registry.byId('a1')).toBeUndefined();
    expect(storage.registry.forward('goals', 'title')).toBeUndefined();
    expect(storage.registry.softDeleted()).toMatchObject([
      { id: 'a1', ns: 'a1_deleted$goals', label: 'a1_deleted$title', indexed: false, deletedAt: now },
    ]);
    expect(storage.registry.softDeleted()[0]?.snapshot).toEqual({ indexed: true, required: false, idAttrId: null });
    now += 2 * DAY - 1;
    storage.write(() => undefined);
    expect(storage.registry.softDeleted()).toHaveLength(1);
    expect(storage.store.ofEntity('e1')).toHaveLength(1);
    now += 1;
    storage.write(() => undefined);
    expect(storage.registry.softDeleted()).toEqual([]);
    expect(storage.store.ofEntity('e1')).toEqual([]);
    storage.close();
  });
});
