/**
 * A small app as a backup zip for the restore and copy fault tests: 30 goals, 80 todos (a one-many link
 * goals → todos), 3 files (a one-one link todos → $files); and what a server holds of it, comparable
 * across servers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import yauzl from 'yauzl';
import { writeBackup } from '../../src/backup/index.ts';
import type { BackupEntityLine, BackupFileSource } from '../../src/backup/index.ts';
import { init } from '../../src/client/init.ts';
import type { LocalServer } from '../../src/server/index.ts';
import { Readable } from 'node:stream';

const SCHEMA = {
  entities: {
    goals: { attrs: { title: { valueType: 'string', config: { unique: false, indexed: true } } } },
    todos: { attrs: { text: { valueType: 'string', config: { unique: false, indexed: false } } } },
  },
  links: {
    goalsTodos: {
      forward: { on: 'goals', label: 'todos', has: 'many' },
      reverse: { on: 'todos', label: 'goal', has: 'one' },
    },
    todosAttachment: {
      forward: { on: 'todos', label: 'attachment', has: 'one' },
      reverse: { on: '$files', label: 'todo', has: 'one' },
    },
  },
} as const;

export const FILES = [
  { path: 'docs/a.bin', type: 'application/octet-stream', bytes: randomBytes(50_000) },
  { path: 'docs/b.txt', type: 'text/plain', bytes: Buffer.from('a text file\n') },
  { path: 'img/c.json', type: 'application/json', bytes: Buffer.from('{"c":3}') },
];

/** Writes the app's backup zip at `path`, as a backup of `appId`; resolves with the `$files` ids in it. */
export async function writeAppZip(path: string, appId: string = crypto.randomUUID()): Promise<string[]> {
  const at = 1_700_000_000_000;
  const lines: BackupEntityLine[] = [];
  const todos = Array.from({ length: 80 }, () => crypto.randomUUID());
  const fileIds = FILES.map(() => crypto.randomUUID());
  for (let g = 0; g < 30; g++) {
    const entity = { id: crypto.randomUUID(), title: `goal ${g}`, todos: todos.filter((_, t) => t % 30 === g) };
    lines.push({ namespace: 'goals', entity, createdAt: at + g });
  }
  todos.forEach((id, t) => {
    const attachment = t < FILES.length ? { attachment: fileIds[t]! } : {};
    lines.push({ namespace: 'todos', entity: { id, text: `todo ${t}`, ...attachment }, createdAt: at + t });
  });
  FILES.forEach((file, f) => {
    const entity = {
      id: fileIds[f]!,
      path: file.path,
      'location-id': `loc-${f}`,
      'content-type': file.type,
      'content-disposition': 'inline',
      size: file.bytes.length,
    };
    lines.push({ namespace: '$files', entity, createdAt: at + f });
  });
  const files: BackupFileSource[] = FILES.map((file, f) => ({
    locationId: `loc-${f}`,
    open: () => Readable.from([file.bytes]),
  }));
  await writeBackup(path, { config: { schema: SCHEMA as never, rules: null, appId }, entities: lines, files });
  return fileIds;
}

/** Flips one byte in the middle of `entry`'s compressed bytes (its checksum no longer matches). */
export async function corruptEntry(zipPath: string, entry: string): Promise<void> {
  const { offset, size } = await new Promise<{ offset: number; size: number }>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on('entry', (found: yauzl.Entry) => {
        if (found.fileName !== entry) return zip.readEntry();
        zip.close();
        resolve({ offset: found.relativeOffsetOfLocalHeader, size: found.compressedSize });
      });
      zip.on('end', () => reject(new Error(`no ${entry}`)));
      zip.readEntry();
    }),
  );
  const bytes = readFileSync(zipPath);
  const data = offset + 30 + bytes.readUInt16LE(offset + 26) + bytes.readUInt16LE(offset + 28);
  const at = data + Math.floor(size / 2);
  bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(zipPath, bytes);
}

export const connectionOf = (server: LocalServer) => ({
  appId: server.appId,
  adminToken: server.adminToken,
  apiURI: server.url,
});

export const credentials = (server: LocalServer) => ['--app-id', server.appId, '--admin-token', server.adminToken];

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * What a server holds of the app: goals with their todos, todos with their attachment (by path), files
 * by path with the sha-256 of their bytes; and the labels its schema has (every attribute it knows).
 */
export async function holdings(server: LocalServer): Promise<{ data: Record<string, unknown[]>; attrs: string[] }> {
  const db = init(connectionOf(server));
  const result = (await db.query({
    goals: { todos: { $: { fields: ['id'] } } },
    todos: { attachment: { $: { fields: ['path'] } } },
    $files: {},
  } as never)) as Record<string, Record<string, any>[]>;
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  const files = [];
  for (const file of result.$files ?? []) {
    const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
    files.push({ path: file.path, type: file['content-type'], sha: sha(bytes) });
  }
  const schema = (await (
    await fetch(`${server.url}/admin/schema`, {
      headers: { 'app-id': server.appId, authorization: `Bearer ${server.adminToken}` },
    })
  ).json()) as { schema: { blobs: Record<string, Record<string, unknown>>; refs: Record<string, unknown> } };
  return {
    data: {
      goals: (result.goals ?? [])
        .map((goal) => ({ id: goal.id, title: goal.title, todos: goal.todos.map((t: any) => t.id).sort() }))
        .sort(byId),
      todos: (result.todos ?? [])
        .map((todo) => ({ id: todo.id, text: todo.text, attachment: todo.attachment?.map((f: any) => f.path) }))
        .sort(byId),
      $files: files.sort((a, b) => a.path.localeCompare(b.path)),
    },
    attrs: [
      ...Object.entries(schema.schema.blobs).flatMap(([ns, attrs]) => Object.keys(attrs).map((a) => `${ns}.${a}`)),
      ...Object.keys(schema.schema.refs),
    ].sort(),
  };
}

/** The holdings of the app as the zip has it: 30 goals, 80 todos, 3 files. */
export function expectedCounts(held: Awaited<ReturnType<typeof holdings>>) {
  return Object.fromEntries(Object.entries(held.data).map(([ns, rows]) => [ns, rows.length]));
}
