import { DatabaseSync } from 'node:sqlite';
import { startLocalServer } from '../src/server/index.ts';
import { report } from './harness.ts';

const ENTITIES = 20_000;
const BATCH = 500;

/** Steps for one entity: an update with three attributes (four triples with the id). */
function stepsFor(index: number, id: string): unknown[] {
  return ['update', 'goals', id, { title: `goal ${index}`, priority: index % 5, done: index % 2 === 0 }];
}

/** Bulk import through /admin/transact in batches of 500 steps vs raw node:sqlite inserts of the same triples. */
export async function benchServerImport(): Promise<void> {
  const ids = Array.from({ length: ENTITIES }, () => crypto.randomUUID());
  const server = await startLocalServer();
  const headers = {
    'content-type': 'application/json',
    'app-id': server.appId,
    authorization: `Bearer ${server.adminToken}`,
  };
  const started = performance.now();
  for (let start = 0; start < ENTITIES; start += BATCH) {
    const steps = ids.slice(start, start + BATCH).map((id, offset) => stepsFor(start + offset, id));
    const res = await fetch(`${server.url}/admin/transact`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ steps }),
    });
    if (res.status !== 200) throw new Error(`import failed: ${await res.text()}`);
  }
  const ours = performance.now() - started;
  await server.close();

  const db = new DatabaseSync(':memory:');
  db.exec(
    'PRAGMA journal_mode = WAL; CREATE TABLE triples (e TEXT NOT NULL, a TEXT NOT NULL, v TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (e, a, v)) WITHOUT ROWID; CREATE INDEX triples_av ON triples (a, v);',
  );
  const insert = db.prepare('INSERT INTO triples (e, a, v, created_at) VALUES (?, ?, ?, ?)');
  const attrs = ['id', 'title', 'priority', 'done'].map(() => crypto.randomUUID());
  const rawStart = performance.now();
  for (let start = 0; start < ENTITIES; start += BATCH) {
    db.exec('BEGIN');
    for (let index = start; index < Math.min(start + BATCH, ENTITIES); index++) {
      const id = ids[index]!;
      const now = Date.now();
      insert.run(id, attrs[0]!, JSON.stringify(id), now);
      insert.run(id, attrs[1]!, JSON.stringify(`goal ${index}`), now);
      insert.run(id, attrs[2]!, JSON.stringify(index % 5), now);
      insert.run(id, attrs[3]!, JSON.stringify(index % 2 === 0), now);
    }
    db.exec('COMMIT');
  }
  const raw = performance.now() - rawStart;
  db.close();
  const rows = ENTITIES * 4;
  report(
    'bulk import rows/s, ours / raw node:sqlite',
    raw / ours,
    '>= 0.25x',
    raw / ours >= 0.25,
    `${Math.round(rows / (ours / 1000))} vs ${Math.round(rows / (raw / 1000))} triples/s, ${ENTITIES} entities in batches of ${BATCH}`,
  );
}
