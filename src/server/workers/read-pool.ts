import { setPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../api/api-error.ts';
import type { ApiRequest } from '../api/api-request.ts';
import { JsonText } from '../http/json-text.ts';
import { errorFrom, type ReadMessage, type ReadWorkerConfig, toReadJob } from './read-protocol.ts';

/** Options of {@link ReadPool}. */
export interface ReadPoolOptions {
  /** How many workers (default 2). */
  readonly size?: number;
  /** How long past its time budget a worker may go without answering before it is replaced (ms, default 1,000). */
  readonly graceMs?: number;
  /** The worker's script; `read-worker` beside this file by default (tests give their own). */
  readonly entry?: URL;
  /**
   * After how long a job's worker thread is lowered to {@link LONG_JOB_NICENESS} (ms, default 50), so
   * short queries keep the CPU; Linux only (where a thread has its own niceness), elsewhere a no-op.
   */
  readonly demoteAfterMs?: number;
}

/**
 * The niceness of a worker whose job has run past `demoteAfterMs`: the scheduler then gives a thread at
 * niceness 0 about ten times its share of a core, so a small query wakes and finishes promptly beside it.
 */
export const LONG_JOB_NICENESS = 10;

/** The worker's entry: `read-worker.ts` beside this file (`.js` once built). */
const ENTRY = new URL(`./read-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** A request waiting for, or running on, a worker. */
interface Pending {
  readonly request: ApiRequest;
  readonly trackReads: boolean;
  readonly done: (answer: JsonText) => void;
  readonly fail: (error: Error) => void;
}

/** One worker: whether it has opened its database, its OS thread id (Linux), and the job it runs. */
interface Slot {
  readonly worker: Worker;
  ready: boolean;
  threadId?: number | undefined;
  /** Whether the worker's thread runs at {@link LONG_JOB_NICENESS} (its job ran long). */
  demoted?: boolean;
  job?:
    | {
        readonly id: number;
        readonly pending: Pending;
        readonly timer: NodeJS.Timeout;
        readonly demote: NodeJS.Timeout | undefined;
      }
    | undefined;
}

const timeout = (): ApiError => new ApiError(429, 'timeout', 'The query took too long to complete.', null);
const closing = (): ApiError => new ApiError(503, 'unavailable', 'The server is shutting down.', null);

/**
 * A small pool of read workers (`node:worker_threads`), each with its own read-only connection to the
 * server's database: queries run there, so a long one holds up only its own worker while the main
 * thread goes on answering (and writing). Workers start on {@link ReadPool.start} (or the first
 * {@link ReadPool.run}, which waits until one is ready); requests queue while every worker is busy and
 * go to the first that frees up. A worker
 * that has not answered within the time budget plus a grace period is terminated and replaced (the
 * request is answered 429 `timeout`), as is one that crashes (the request fails as a server bug).
 *
 * @example
 * const pool = new ReadPool({
 *   dbPath: 'app.db',
 *   appId: crypto.randomUUID(),
 *   adminToken: crypto.randomUUID(),
 *   url: 'http://127.0.0.1:8888',
 *   rules: {},
 *   timeoutMs: 5_000,
 * });
 * await pool.close();
 */
export class ReadPool {
  readonly #config: ReadWorkerConfig;
  readonly #size: number;
  readonly #graceMs: number;
  readonly #entry: URL;
  readonly #demoteAfterMs: number;
  /**
   * False once a demoted worker could not be put back at niceness 0 (a process without the privilege
   * to lower a niceness): from then on long jobs are not demoted, rather than costing a new worker each.
   */
  #mayDemote = true;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 0;
  #closed = false;
  /** Set when the workers could not start (their database would not open): none are started again. */
  #broken = false;

  constructor(config: ReadWorkerConfig, options: ReadPoolOptions = {}) {
    this.#config = config;
    this.#size = options.size ?? 2;
    this.#graceMs = options.graceMs ?? 1_000;
    this.#entry = options.entry ?? ENTRY;
    this.#demoteAfterMs = options.demoteAfterMs ?? 50;
  }

  /** Starts the workers, unless they are running (or could not start): they take a moment to boot. */
  start(): void {
    if (this.#closed || this.#broken) return;
    while (this.#slots.length < this.#size) this.#spawn();
  }

  /** True once a worker is ready to take requests. */
  get ready(): boolean {
    return this.#slots.some((slot) => slot.ready);
  }

  /**
   * Runs an `offMainThread` route's request on a worker (starting them if needed, and waiting for one
   * to be free): its JSON answer, or the error it threw. With `trackReads`, the answer carries what the
   * query read (`JsonText.reads`).
   */
  run(request: ApiRequest, options: { readonly trackReads?: boolean } = {}): Promise<JsonText> {
    if (this.#closed) return Promise.reject(closing());
    return new Promise((done, fail) => {
      this.#queue.push({ request, trackReads: options.trackReads === true, done, fail });
      while (this.#slots.length < this.#size) this.#spawn();
      this.#pump();
    });
  }

  /** Stops every worker at once (a running query included) and fails the requests still waiting. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) pending.fail(closing());
    const slots = this.#slots.splice(0);
    for (const slot of slots) this.#settle(slot)?.fail(closing());
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  #spawn(): void {
    const worker = new Worker(this.#entry, { workerData: this.#config });
    worker.unref();
    const slot: Slot = { worker, ready: false };
    this.#slots.push(slot);
    worker.on('message', (message: ReadMessage) => this.#receive(slot, message));
    worker.on('error', (error) => this.#lose(slot, error));
    worker.on('exit', (code) => this.#lose(slot, new Error(`read worker exited with code ${code}`)));
  }

  /** Gives waiting requests to ready, idle workers. */
  #pump(): void {
    for (const slot of this.#slots) {
      if (!slot.ready || slot.job) continue;
      const pending = this.#queue.shift();
      if (!pending) return;
      const id = this.#nextId++;
      const timer = setTimeout(() => this.#expire(slot), this.#config.timeoutMs + this.#graceMs);
      timer.unref();
      const demote = this.#mayDemote ? setTimeout(() => this.#demote(slot), this.#demoteAfterMs) : undefined;
      demote?.unref();
      slot.job = { id, pending, timer, demote };
      slot.worker.postMessage(toReadJob(id, pending.request, pending.trackReads));
    }
  }

  #receive(slot: Slot, message: ReadMessage): void {
    if (message.kind === 'ready') {
      slot.ready = true;
      slot.threadId = message.threadId;
    } else if (slot.job?.id === message.id) {
      const pending = this.#settle(slot)!;
      this.#restore(slot);
      if (message.kind === 'ok') pending.done(new JsonText(message.json, message.reads));
      else pending.fail(errorFrom(message));
    }
    this.#pump();
  }

  /** Ends the slot's job (its timer cleared) and returns who waits for it. */
  #settle(slot: Slot): Pending | undefined {
    const job = slot.job;
    if (!job) return undefined;
    clearTimeout(job.timer);
    clearTimeout(job.demote);
    slot.job = undefined;
    return job.pending;
  }

  /** Lowers the priority of a worker whose job runs long (see {@link LONG_JOB_NICENESS}). */
  #demote(slot: Slot): void {
    if (!this.#mayDemote || slot.threadId === undefined || !slot.job) return;
    try {
      setPriority(slot.threadId, LONG_JOB_NICENESS);
      slot.demoted = true;
    } catch {
      // The thread may just have ended with its worker; a job left at normal priority is only slower.
    }
  }

  /**
   * Puts a demoted worker back at niceness 0 for its next job. A process may not lower a niceness
   * without the privilege to (RLIMIT_NICE, or root); such a worker is replaced by a fresh one instead,
   * once: demoting stops for the rest of the pool's life.
   */
  #restore(slot: Slot): void {
    if (!slot.demoted || slot.threadId === undefined) return;
    try {
      setPriority(slot.threadId, 0);
      slot.demoted = false;
    } catch {
      this.#mayDemote = false;
      this.#remove(slot);
      void slot.worker.terminate();
      if (!this.#closed && !this.#broken) this.#spawn();
    }
  }

  /** A worker past its budget and grace: stopped and replaced; its request is answered 429 `timeout`. */
  #expire(slot: Slot): void {
    const pending = this.#settle(slot);
    this.#remove(slot);
    void slot.worker.terminate();
    pending?.fail(timeout());
    this.#refill();
  }

  /**
   * A worker that failed or exited on its own: its request fails with the error. One that never became
   * ready (its database could not be opened) fails the waiting requests too, rather than respawning forever.
   */
  #lose(slot: Slot, error: Error): void {
    if (!this.#slots.includes(slot)) return;
    this.#remove(slot);
    this.#settle(slot)?.fail(error);
    if (!slot.ready && !this.ready) {
      this.#broken = true;
      for (const pending of this.#queue.splice(0)) pending.fail(error);
    }
    this.#refill();
  }

  #remove(slot: Slot): void {
    const index = this.#slots.indexOf(slot);
    if (index >= 0) this.#slots.splice(index, 1);
  }

  /** Starts replacements while requests wait. */
  #refill(): void {
    if (this.#closed || this.#broken || this.#queue.length === 0) return;
    while (this.#slots.length < this.#size) this.#spawn();
    this.#pump();
  }
}
