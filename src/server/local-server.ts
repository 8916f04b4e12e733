import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isUuid } from '../protocol/uuid.ts';
import type { ApiRequest } from './api/api-request.ts';
import { Explorer, type ExplorerOptions } from './explorer/explorer.ts';
import { answerServerError, handleRequest } from './http/handle-request.ts';
import { Permissions } from './permissions/permissions.ts';
import { CelEvaluator } from './permissions/cel-evaluator.ts';
import { ruleProblems, type Rules } from './permissions/rules.ts';
import { readRestoreConfig, restoreBackup, storedRules } from './restore-backup.ts';
import { InstantServerStartError } from './server-start-error.ts';
import { LiveQueryHub } from './live/live-query-hub.ts';
import { trackedRunner } from './live/run-tracked.ts';
import type { RunTracked } from './live/subscription.ts';
import { attrsFromSchema } from './store/attrs-from-schema.ts';
import { settleAppIdentity } from './store/open-database.ts';
import { Storage } from './store/storage.ts';
import { EmailRateLimits } from './users/email-rate-limit.ts';
import { FileStore } from './users/file-store.ts';
import { Outbox } from './users/outbox.ts';
import { UploadUrls } from './users/upload-urls.ts';
import { DEFAULT_MAX_FILE_BYTES } from './routes/storage-routes.ts';
import { ensureSystemAttrs } from './users/system-attrs.ts';
import { UserStore } from './users/user-store.ts';
import { ReadPool } from './workers/read-pool.ts';

/** Instant answers a query that runs this long with 429 `timeout`; a few seconds, as its statement timeout. */
const DEFAULT_TIMEOUT_MS = 5_000;
/** Live queries (`subscribe-query` streams) open at once unless `maxSubscriptions` says otherwise. */
const DEFAULT_MAX_SUBSCRIPTIONS = 1_000;

/** Options of {@link startLocalServer}. */
export interface LocalServerOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** SQLite file; `:memory:` (default) keeps nothing after close. Uploaded files go to the folder `<dbPath>.files`. */
  readonly dbPath?: string;
  /** App id (UUID). When omitted: the one stored in `dbPath` by an earlier start, else a new one. */
  readonly appId?: string;
  /** Admin token (UUID). When omitted: the one stored in `dbPath` by an earlier start, else a new one. */
  readonly adminToken?: string;
  /** A schema (ours or `@instantdb/admin`'s): its attributes are created at start. */
  readonly schema?: unknown;
  /** Permission rules in Instant's format, compiled at start (default: those a restore stored in `dbPath`). */
  readonly rules?: Rules;
  /** Where unexpected server errors are reported (one line each, with the trace id sent to the client); stderr by default. */
  readonly log?: (line: string) => void;
  /**
   * How long one query or transaction may run (ms, default 5,000), like Instant's statement timeout:
   * past it the request stops, commits nothing and is answered 429 `timeout`.
   */
  readonly timeoutMs?: number;
  /**
   * An Instant backup zip to load at start (schema, rules unless `rules` is given, entities with their
   * links and creation times, `$users`, `$files` with their bytes), in one transaction. A database that
   * already holds data is refused unless `replaceData`. Its app id is used unless `appId` is given.
   */
  readonly restore?: string;
  /** With `restore`: delete the database's data first (in the same transaction). */
  readonly replaceData?: boolean;
  /**
   * @internal The server's clock (ms since the epoch; `Date.now` by default), for tests: it dates what
   * the server writes and decides when magic codes (24 hours) and per-email rate limits (1 hour) expire.
   */
  readonly now?: () => number;
  /**
   * The explorer page (`explorerUrl`): on by default, on loopback only; `false` turns it off, an object
   * sets its options (`allowRemote`, `loginTtlMs`).
   */
  readonly explorer?: false | ExplorerOptions;
  /**
   * Most live queries (`POST /admin/subscribe-query` streams) open at once (default 1,000); one more is
   * answered 429 `rate-limited`, as Instant answers an app over its limits.
   */
  readonly maxSubscriptions?: number;
  /**
   * The largest file an upload takes, in bytes (default 1 GiB; Instant states no limit). A larger one is
   * answered 413 `payload-too-large` and nothing of it is kept.
   */
  readonly maxFileBytes?: number;
}

/** A running local server. */
export interface LocalServer {
  readonly url: string;
  readonly appId: string;
  readonly adminToken: string;
  /** The emails the server "sent" (magic codes from `sendMagicCode`): read them, or wait for the next. */
  readonly outbox: Outbox;
  /** A one-time login link to the explorer page (undefined when `explorer: false`); it works for 10 minutes. */
  readonly explorerUrl: string | undefined;
  /** A new one-time login link to the explorer page (undefined when `explorer: false`). */
  explorerLink(): string | undefined;
  close(): Promise<void>;
}

/**
 * Starts a local Instant-compatible Admin HTTP API on 127.0.0.1, backed by SQLite (`node:sqlite`).
 * Point `@instantdb/admin` (or instant-tx's client) at `url` with `apiURI`. The app id and admin token
 * are stored in the database, so restarting on the same `dbPath` keeps them. Rules are compiled here:
 * bad options, rules that do not compile, a database that cannot be opened or a port in use reject
 * with {@link InstantServerStartError}, leaving nothing open.
 *
 * @example
 * const server = await startLocalServer({ schema });
 * const db = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
 * await server.close();
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  checkOptions(options);
  const backup = options.restore === undefined ? undefined : await readRestoreConfig(options.restore);
  const rules = checkRules(options.rules ?? backup?.rules ?? storedRules(options.dbPath) ?? {});
  const schemaAttrs = options.schema === undefined ? [] : attrsFromSchema(options.schema);
  const now = options.now ?? Date.now;
  const database = openStorage(options.dbPath ?? ':memory:', now);
  const { storage } = database;
  try {
    const { appId, adminToken } = storage.write(() => {
      const identity = settleAppIdentity(storage.db, {
        ...(options.appId ? { appId: options.appId } : backup?.appId ? { appId: backup.appId } : {}),
        ...(options.adminToken ? { adminToken: options.adminToken } : {}),
      });
      ensureSystemAttrs(storage.registry);
      for (const attr of schemaAttrs)
        if (!storage.registry.forward(attr.ns, attr.label)) storage.registry.add({ ...attr, id: crypto.randomUUID() });
      return identity;
    });
    let url = '';
    const ctx = {
      app: { appId, adminToken },
      storage,
      users: new UserStore(storage, appId),
      files: new FileStore(storage, (locationId) => `${url}/storage/${appId}/${locationId}`),
      permissions: new Permissions(() => rules, storage),
      outbox: new Outbox(),
      emailLimits: new EmailRateLimits(now),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      live: new LiveQueryHub({
        storage,
        run: (request) => runLive(request),
        maxSubscriptions: options.maxSubscriptions ?? DEFAULT_MAX_SUBSCRIPTIONS,
        log: (line) => log(line),
      }),
      uploads: {
        maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
        pending: new UploadUrls(Date.now),
        address: (uploadId: string) => `${url}/storage/${uploadId}/consume-upload-url`,
      },
    };
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    // The read workers boot (~0.1 s) on the first request; queries run here until one is ready.
    const offload = (request: ApiRequest) => (pool.ready ? pool.run(request) : undefined);
    // A restore runs once the address is known (files' urls hold it); requests wait for it.
    let restored: Promise<unknown> = Promise.resolve();
    let explorer: Explorer | undefined;
    const server = createServer((req, res) => {
      void restored.then(() => {
        pool.start();
        if (!explorer || !Explorer.handles(req.url)) return void handleRequest(req, res, ctx, log, offload);
        // The explorer answers its own requests; a bug there is a logged 500, as for any route.
        try {
          explorer.handle(req, res, (forwarded) => void handleRequest(forwarded, res, ctx, log, offload));
        } catch (error) {
          answerServerError(req, res, error, log);
        }
      });
    });
    const port = await listen(server, options.port ?? 0);
    url = `http://127.0.0.1:${port}`;
    if (options.explorer !== false) storage.recent.enable();
    if (options.explorer !== false)
      explorer = new Explorer({
        app: ctx.app,
        url,
        port,
        recent: storage.recent,
        options: options.explorer ?? {},
        outbox: () => [...ctx.outbox.messages].reverse(),
      });
    const pool = new ReadPool({ dbPath: database.path, appId, adminToken, url, rules, timeoutMs: ctx.timeoutMs });
    const runLive: RunTracked = trackedRunner(pool, ctx);
    if (options.restore !== undefined) {
      restored = restoreBackup(storage, ctx.files, options.restore, { replace: options.replaceData === true });
      await restored.catch(async (error: unknown) => {
        await close(server, pool, { ...database, close: () => {} }, ctx.live);
        throw error;
      });
    }
    return {
      url,
      appId,
      adminToken,
      outbox: ctx.outbox,
      explorerUrl: explorer?.link(),
      explorerLink: () => explorer?.link(),
      close: () => close(server, pool, database, ctx.live),
    };
  } catch (error) {
    database.close();
    throw error;
  }
}

function checkOptions(options: LocalServerOptions): void {
  const problems: string[] = [];
  const { port } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535))
    problems.push(`port must be an integer from 0 to 65535, got ${String(port)}`);
  if (options.appId !== undefined && !isUuid(options.appId)) problems.push('appId must be a UUID');
  if (options.adminToken !== undefined && !isUuid(options.adminToken))
    problems.push('adminToken must be a UUID (the value is not shown)');
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0))
    problems.push(`timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`);
  const { maxSubscriptions } = options;
  if (maxSubscriptions !== undefined && !(Number.isInteger(maxSubscriptions) && maxSubscriptions >= 0))
    problems.push(`maxSubscriptions must be a whole number of 0 or more, got ${String(maxSubscriptions)}`);
  const { maxFileBytes } = options;
  if (maxFileBytes !== undefined && !(Number.isSafeInteger(maxFileBytes) && maxFileBytes >= 0))
    problems.push(`maxFileBytes must be a whole number of bytes (0 or more), got ${String(maxFileBytes)}`);
  if (problems.length > 0) throw new InstantServerStartError('invalid-option', problems.join('; '));
}

function checkRules(rules: Rules): Rules {
  const evaluator = new CelEvaluator(() => []);
  const problems = ruleProblems(rules, (code) => evaluator.compile(code));
  if (problems.length > 0) throw new InstantServerStartError('invalid-rules', `invalid rules: ${problems.join('; ')}`);
  return rules;
}

/** The server's storage and the file it lives in (which read workers open too); `close` closes it. */
interface Database {
  readonly storage: Storage;
  readonly path: string;
  close(): void;
}

/**
 * Opens the database. Read workers need a file to open, so `:memory:` is a private temporary file
 * (not synced to disk, since nothing is kept), removed on close with its uploaded files.
 */
function openStorage(path: string, now: () => number): Database {
  if (path !== ':memory:') {
    const storage = openFile(path, true, now);
    return { storage, path, close: () => storage.close() };
  }
  const folder = mkdtempSync(join(tmpdir(), 'instant-tx-memory-'));
  const remove = () => rmSync(folder, { recursive: true, force: true });
  try {
    const file = join(folder, 'app.db');
    const storage = openFile(file, false, now);
    return {
      storage,
      path: file,
      close: () => {
        storage.close();
        remove();
      },
    };
  } catch (error) {
    remove();
    throw error;
  }
}

function openFile(path: string, durable: boolean, now: () => number): Storage {
  try {
    return Storage.open(path, { durable, now });
  } catch (error) {
    const folder = dirname(resolve(path));
    const reason =
      path !== ':memory:' && !existsSync(folder) ? `the folder ${folder} does not exist` : (error as Error).message;
    throw new InstantServerStartError('database', `cannot open database ${path}: ${reason}`, { cause: error });
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((done, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message;
      reject(new InstantServerStartError('port', `cannot listen on 127.0.0.1:${port}: ${reason}`, { cause: error }));
    });
    server.listen(port, '127.0.0.1', () => done((server.address() as AddressInfo).port));
  });
}

/** Stops the server: its live queries and connections, its read workers (a running query included), then the database. */
async function close(server: Server, pool: ReadPool, database: Database, live: LiveQueryHub): Promise<void> {
  live.close();
  const closed = new Promise<void>((done) => server.close(() => done()));
  server.closeAllConnections();
  await Promise.all([closed, pool.close()]);
  database.close();
}
