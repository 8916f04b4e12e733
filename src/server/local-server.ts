import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUuid } from '../protocol/uuid.ts';
import { handleRequest } from './http/handle-request.ts';
import { Permissions } from './permissions/permissions.ts';
import { validateRules, type Rules } from './permissions/rules.ts';
import { AttrRegistry } from './store/attr-registry.ts';
import { attrsFromSchema } from './store/attrs-from-schema.ts';
import { inTransaction, openDatabase } from './store/open-database.ts';
import { TripleStore } from './store/triple-store.ts';
import { ensureSystemAttrs } from './users/system-attrs.ts';
import { UserStore } from './users/user-store.ts';

/** Options of {@link startLocalServer}. */
export interface LocalServerOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** SQLite file; `:memory:` (default) keeps nothing after close. */
  readonly dbPath?: string;
  /** App id (UUID); generated when omitted. */
  readonly appId?: string;
  /** Admin token (UUID); generated when omitted. */
  readonly adminToken?: string;
  /** A schema (ours or `@instantdb/admin`'s): its attributes are created at start. */
  readonly schema?: unknown;
  /** Permission rules in Instant's format. */
  readonly rules?: Rules;
}

/** A running local server. */
export interface LocalServer {
  readonly url: string;
  readonly appId: string;
  readonly adminToken: string;
  close(): Promise<void>;
}

/**
 * Starts a local Instant-compatible Admin HTTP API on 127.0.0.1, backed by SQLite (`node:sqlite`).
 * Point `@instantdb/admin` (or instant-tx's client) at `url` with `apiURI`.
 *
 * @example
 * const server = await startLocalServer({ schema });
 * const db = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
 * await server.close();
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const appId = (options.appId ?? crypto.randomUUID()).toLowerCase();
  const adminToken = options.adminToken ?? crypto.randomUUID();
  if (!isUuid(appId) || !isUuid(adminToken)) throw new TypeError('appId and adminToken must be UUIDs');
  const db = openDatabase(options.dbPath ?? ':memory:');
  const registry = new AttrRegistry(db);
  const store = new TripleStore(db);
  inTransaction(db, () => {
    ensureSystemAttrs(registry);
    if (options.schema !== undefined) {
      for (const attr of attrsFromSchema(options.schema)) if (!registry.forward(attr.ns, attr.label)) registry.add({ ...attr, id: crypto.randomUUID() });
    }
  });
  const rules = validateRules(options.rules ?? {});
  const storage = { db, registry, store };
  const ctx = { app: { appId, adminToken }, storage, users: new UserStore(db, registry, store, appId), permissions: new Permissions(() => rules, storage) };
  const server = createServer((req, res) => void handleRequest(req, res, ctx));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    adminToken,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          db.close();
          resolve();
        });
      }),
  };
}
