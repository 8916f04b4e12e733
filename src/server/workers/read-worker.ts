/**
 * A read worker's entry (run by `ReadPool` in a `node:worker_threads` worker): opens its own read-only
 * connection to the server's database, builds the same context the main thread has (users, files,
 * permissions with the same rules), then answers each job (an `offMainThread` route's request) inside
 * the time budget and one read transaction, with its JSON text or its error.
 */
import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { findRoute } from '../http/route-table.ts';
import { Permissions } from '../permissions/permissions.ts';
import type { ServerContext } from '../routes/context.ts';
import { Storage } from '../store/storage.ts';
import { EmailRateLimits } from '../users/email-rate-limit.ts';
import { FileStore } from '../users/file-store.ts';
import { Outbox } from '../users/outbox.ts';
import { UserStore } from '../users/user-store.ts';
import { errorMessage, fromReadJob, type ReadJob, type ReadMessage, type ReadWorkerConfig } from './read-protocol.ts';

/** The worker's context, from the config the pool started it with. */
function openContext(config: ReadWorkerConfig): ServerContext {
  const storage = Storage.openReader(config.dbPath);
  const { appId, adminToken, url, rules } = config;
  return {
    app: { appId, adminToken },
    storage,
    users: new UserStore(storage, appId),
    files: new FileStore(storage, (locationId) => `${url}/storage/${appId}/${locationId}`),
    permissions: new Permissions(() => rules, storage),
    // Queries only run here: they never send email or check codes.
    outbox: new Outbox(),
    emailLimits: new EmailRateLimits(Date.now),
    timeoutMs: config.timeoutMs,
  };
}

/** Runs one job: its route's handler, within the budget, in a read transaction. */
function answerJob(job: ReadJob, ctx: ServerContext): ReadMessage {
  try {
    const route = findRoute(job.method, job.path);
    // A live query's run (`subscribe-query`) goes to its route's `live` handler.
    const handler =
      route && ('live' in route ? route.live : 'handler' in route && route.offMainThread && route.handler);
    if (!handler) throw new Error(`no worker route ${job.path}`);
    const request = fromReadJob(job);
    const { storage } = ctx;
    if (job.trackReads) storage.store.trackReads();
    const value = storage.budget.run(ctx.timeoutMs, () => storage.read(() => handler(request, ctx)));
    const reads = storage.store.takeReads();
    return { kind: 'ok', id: job.id, json: JSON.stringify(value), ...(reads ? { reads } : {}) };
  } catch (error) {
    ctx.storage.store.takeReads();
    return errorMessage(job.id, error);
  }
}

/**
 * This thread's id in the OS on Linux (`/proc/thread-self` links to `<pid>/task/<tid>`), which lets
 * the pool lower the thread's priority while it runs a long job; undefined elsewhere.
 */
function osThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

if (parentPort) {
  const port = parentPort;
  const ctx = openContext(workerData as ReadWorkerConfig);
  port.on('message', (job: ReadJob) => port.postMessage(answerJob(job, ctx)));
  port.postMessage({ kind: 'ready', threadId: osThreadId() } satisfies ReadMessage);
}
