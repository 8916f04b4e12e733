import type { ServerResponse } from 'node:http';
import { ApiError } from '../api/api-error.ts';
import type { ApiRequest } from '../api/api-request.ts';
import type { LiveQueries } from '../routes/context.ts';
import type { Storage } from '../store/storage.ts';
import { sseInitEvent } from './live-events.ts';
import { SseStream } from './sse-stream.ts';
import { type RunTracked, Subscription } from './subscription.ts';

/** Options of {@link LiveQueryHub}. */
export interface LiveQueryHubOptions {
  readonly storage: Storage;
  readonly run: RunTracked;
  /** Most streams open at once; one more is answered 429 `rate-limited`. */
  readonly maxSubscriptions: number;
  readonly log: (line: string) => void;
  /** How long the client should wait before reconnecting after a drop (ms); Instant says 500. */
  readonly retryMs?: number;
  /** How often an idle stream gets a keep-alive comment (ms); Instant's server: every 15 s. */
  readonly keepAliveMs?: number;
}

/** Instant's answer when an app is over its request limits (the self-hosted wording). */
const tooMany = (): ApiError =>
  new ApiError(429, 'rate-limited', "You're making too many requests. Please contact your deployment administrator.");

/**
 * The server's live queries (`POST /admin/subscribe-query`): each request that passed its checks gets
 * a stream (`sse-init`, then `add-query-ok`, then a `refresh-ok` after every commit that changed its
 * answer). The hub listens to the storage's commits and tells each subscription; it bounds the number
 * of streams, keeps idle ones alive with a comment, and on {@link LiveQueryHub.close} ends them all and
 * stops listening, leaving no timer behind. `startLocalServer` makes one per server.
 */
export class LiveQueryHub implements LiveQueries {
  readonly #options: LiveQueryHubOptions;
  readonly #machineId = crypto.randomUUID();
  readonly #open = new Map<Subscription, SseStream>();
  /** Stops listening to commits; set only while streams are open, so writes pay nothing without them. */
  #stopListening: (() => void) | undefined;
  #keepAlive: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: LiveQueryHubOptions) {
    this.#options = options;
  }

  /** How many streams are open. */
  get size(): number {
    return this.#open.size;
  }

  /** Opens a stream for a checked request, or throws 429 `rate-limited` (503 once closed) before anything is sent. */
  open(req: ApiRequest, res: ServerResponse): void {
    if (this.#closed) throw new ApiError(503, 'unavailable', 'The server is shutting down.', null);
    if (this.#open.size >= this.#options.maxSubscriptions) throw tooMany();
    const stream = new SseStream(res, this.#options.retryMs ?? 500);
    const sessionId = crypto.randomUUID();
    const subscription = new Subscription(req, stream, sessionId, {
      run: this.#options.run,
      txId: () => this.#options.storage.currentTxId(),
      log: this.#options.log,
    });
    this.#open.set(subscription, stream);
    stream.onClose(() => this.#forget(subscription));
    if (stream.closed) {
      // The client left between its request and now: 'close' has already fired.
      this.#forget(subscription);
      return;
    }
    this.#listen();
    stream.send(sseInitEvent(this.#machineId, sessionId, crypto.randomUUID()));
    subscription.begin();
  }

  /** Ends every stream and stops listening to commits. */
  close(): void {
    this.#closed = true;
    for (const stream of [...this.#open.values()]) stream.close();
    this.#open.clear();
    this.#idle();
  }

  #forget(subscription: Subscription): void {
    this.#open.delete(subscription);
    if (this.#open.size === 0) this.#idle();
  }

  /** With a stream open: hear every commit, and keep the streams alive. */
  #listen(): void {
    this.#stopListening ??= this.#options.storage.onCommit((commit) => {
      for (const subscription of this.#open.keys()) subscription.notify(commit);
    });
    if (this.#keepAlive) return;
    this.#keepAlive = setInterval(() => {
      for (const stream of this.#open.values()) stream.keepAlive();
    }, this.#options.keepAliveMs ?? 15_000);
    this.#keepAlive.unref();
  }

  /** With no stream open: stop listening (writes record nothing) and stop the keep-alive timer. */
  #idle(): void {
    this.#stopListening?.();
    this.#stopListening = undefined;
    clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
  }
}
