import type { InstantAPIError } from '../errors/instant-api-error.ts';
import { InstantNetworkError } from '../errors/instant-network-error.ts';
import { InstantResponseError } from '../errors/instant-response-error.ts';
import { networkCode } from './retry-policy.ts';
import type { Secrets } from './secrets.ts';
import { payloadIterator } from './payload-iterator.ts';
import { apiErrorFromBody } from './api-error-body.ts';
import { formatPageInfo } from './sse-messages.ts';
import { SseParser } from './sse-parser.ts';
import type {
  SubscribeQueryCallback,
  SubscribeQueryPayload,
  SubscribeQuerySessionInfo,
  SubscriptionError,
  SubscriptionReadyState,
} from './subscription-types.ts';

const METHOD = 'POST';
const PATH = '/admin/subscribe-query';
/** Payloads an iterator holds for a reader that has not caught up; the oldest go first (as the official SDK). */
const BACKLOG = 100;
/** Longest wait between reconnection attempts. */
const MAX_BACKOFF_MS = 15_000;
/** A stream silent this long is taken for dead (Instant sends a keep-alive every 15 s). */
const IDLE_MS = 45_000;

/** How a subscription connects: everything but the query is the client's configuration. */
export interface LiveQueryConnection {
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly fetch: typeof globalThis.fetch;
  readonly secrets: Secrets;
  /** Time allowed for the answer's headers (ms). */
  readonly timeout: number;
  /** Reconnection attempts in a row before giving up; 0: never reconnect. */
  readonly reconnects: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * A live query: `POST /admin/subscribe-query` read as Server-Sent Events (`sse-init`, `add-query-ok`,
 * `refresh-ok`, `error`), each result delivered to the callback and to every async iterator.
 *
 * Reconnection: when the stream drops (the connection fails, resets, ends, or stays silent 45 s) or
 * the server answers 429 or 5xx, it connects again after a random delay between 0 and
 * `min(15 s, retry × 2^n)` (full jitter; `retry` is the server's `retry:` value, 500 ms from Instant,
 * and `n` the failures in a row). After `reconnects` failures in a row (the client's `retry.limit`
 * scaled for a long-lived stream) it gives up with one error payload (`isClosed: true`). Any other
 * HTTP error (400: a malformed query, bad credentials) is delivered once and closes it. A subscription
 * that has not connected yet reports its first failure at once (`isClosed: false`) and keeps trying.
 *
 * `close()` (or the `signal`) aborts the request and clears every timer: nothing is left running.
 *
 * @example
 * const sub = db.subscribeQuery({ goals: {} });
 * for await (const payload of sub) {
 *   if (payload.type === 'ok') console.log(payload.data.goals);
 *   else break;
 * }
 * sub.close();
 */
export class LiveQuery<R> implements AsyncIterable<SubscribeQueryPayload<R>> {
  readonly #connection: LiveQueryConnection;
  readonly #listeners = new Set<SubscribeQueryCallback<R>>();
  readonly #onFinish = new Set<() => void>();
  #state: SubscriptionReadyState = 'connecting';
  #session: SubscribeQuerySessionInfo | null = null;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #retryMs = 500;
  /** Whether a stream ever opened (an `sse-init` came); until then the first failure is reported at once. */
  #everOpened = false;
  readonly #stopOnAbort = () => this.close();

  constructor(connection: LiveQueryConnection, callback?: SubscribeQueryCallback<R>) {
    this.#connection = connection;
    if (callback) this.#listeners.add(callback);
    if (connection.signal?.aborted) {
      this.#state = 'closed';
      return;
    }
    connection.signal?.addEventListener('abort', this.#stopOnAbort, { once: true });
    this.#connect();
  }

  /** `'connecting'`, `'open'` or `'closed'`. */
  get readyState(): SubscriptionReadyState {
    return this.#state;
  }

  /** True once no more payloads will come. */
  get isClosed(): boolean {
    return this.#state === 'closed';
  }

  /** The server's machine and session ids, from `sse-init`; null until then. */
  get sessionInfo(): SubscribeQuerySessionInfo | null {
    return this.#session;
  }

  /** Stops the subscription: aborts the request, cancels a pending reconnection, ends the iterators. */
  close(): void {
    if (this.#state === 'closed' && this.#controller === undefined && this.#timer === undefined) return;
    this.#finish();
  }

  /** Synchronous iteration cannot wait for results: use `for await`. */
  [Symbol.iterator](): never {
    throw new TypeError('subscribeQuery does not support synchronous iteration. Use `for await` instead.');
  }

  /** An iterator over the payloads from now on; it ends when the subscription closes (`return` stops just it). */
  [Symbol.asyncIterator](): AsyncIterableIterator<SubscribeQueryPayload<R>> {
    return payloadIterator<SubscribeQueryPayload<R>>(
      {
        listen: (onPayload, onEnd) => {
          this.#listeners.add(onPayload);
          this.#onFinish.add(onEnd);
          return () => {
            this.#listeners.delete(onPayload);
            this.#onFinish.delete(onEnd);
          };
        },
        isClosed: () => this.isClosed,
      },
      BACKLOG,
    );
  }

  #connect(): void {
    const controller = new AbortController();
    this.#controller = controller;
    this.#state = 'connecting';
    const { url, headers, body, timeout } = this.#connection;
    this.#arm(timeout, controller);
    this.#connection
      .fetch(url, { method: METHOD, headers, body, signal: controller.signal })
      .then((response) => this.#read(response, controller))
      .catch((error: unknown) => {
        if (controller !== this.#controller) return;
        this.#dropped(new InstantNetworkError(METHOD, PATH, networkCode(error) ?? abortCode(error), { cause: error }));
      });
  }

  /** Reads one answer: an error to report, or the event stream until it ends. */
  async #read(response: Response, controller: AbortController): Promise<void> {
    if (controller !== this.#controller) return;
    if (!response.ok) {
      const error = this.#apiError(response.status, await response.text().catch(() => ''));
      if (controller !== this.#controller) return;
      this.#controller = undefined;
      this.#disarm();
      if (response.status === 429 || response.status >= 500) this.#dropped(error);
      else this.#fail(error);
      return;
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('text/event-stream') || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      this.#fail(new InstantResponseError(METHOD, PATH, 'an event stream', type || 'no content type'));
      return;
    }
    this.#state = 'open';
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    for (;;) {
      this.#arm(IDLE_MS, controller);
      const { done, value } = await reader.read();
      if (controller !== this.#controller) return;
      if (done) break;
      const chunk = parser.feed(decoder.decode(value, { stream: true }));
      if (chunk.retryMs !== undefined) this.#retryMs = chunk.retryMs;
      for (const event of chunk.events) if (event.event === undefined) this.#handle(event.data);
    }
    this.#dropped(new InstantNetworkError(METHOD, PATH, 'ECONNRESET'));
  }

  /** One `data:` payload: an Instant session message. */
  #handle(data: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return;
    }
    switch (message.op) {
      case 'sse-init':
        this.#failures = 0;
        this.#everOpened = true;
        this.#session = { machineId: String(message['machine-id']), sessionId: String(message['session-id']) };
        break;
      case 'add-query-ok':
        this.#ok(message.result, message['result-meta']);
        break;
      case 'refresh-ok': {
        const computation = (message.computations as Record<string, unknown>[] | undefined)?.[0];
        if (computation) this.#ok(computation['instaql-result'], computation['result-meta']);
        break;
      }
      case 'error':
        this.#deliver(this.#errorPayload(this.#apiError(Number(message.status) || 500, data)));
        break;
    }
  }

  #ok(data: unknown, meta: unknown): void {
    const pageInfo = formatPageInfo((meta as { 'page-info'?: unknown } | undefined)?.['page-info']);
    this.#deliver({ type: 'ok', data: data as R, pageInfo, sessionInfo: this.#session });
  }

  /** The stream is gone or refused for now: connect again after a backoff, or give up. */
  #dropped(error: SubscriptionError): void {
    this.#controller?.abort();
    this.#controller = undefined;
    this.#disarm();
    if (this.#state === 'closed') return;
    if (this.#failures >= this.#connection.reconnects) {
      this.#fail(error);
      return;
    }
    this.#state = 'connecting';
    // A subscription that never connected says so at once (a wrong apiURI, a server not up yet), then
    // keeps trying; drops of a working stream are only reported when it gives up.
    if (!this.#everOpened && this.#failures === 0) this.#deliver(this.#errorPayload(error));
    const ceiling = Math.min(MAX_BACKOFF_MS, this.#retryMs * 2 ** this.#failures);
    this.#failures += 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#connect();
    }, Math.random() * ceiling);
  }

  /** The last payload: the error, then closed. */
  #fail(error: SubscriptionError): void {
    this.#state = 'closed';
    const payload = this.#errorPayload(error);
    this.#finish();
    // Delivered after the iterators were told: they wake in a later microtask and still find it waiting.
    this.#deliverAlways(payload);
  }

  #finish(): void {
    this.#state = 'closed';
    this.#disarm();
    const controller = this.#controller;
    this.#controller = undefined;
    controller?.abort();
    this.#connection.signal?.removeEventListener('abort', this.#stopOnAbort);
    for (const done of [...this.#onFinish]) done();
  }

  /** Starts (or restarts) the watchdog: no answer or no data within `ms` counts as a dropped connection. */
  #arm(ms: number, controller: AbortController): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (controller === this.#controller) this.#dropped(new InstantNetworkError(METHOD, PATH, 'ETIMEDOUT'));
    }, ms);
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #errorPayload(error: SubscriptionError): SubscribeQueryPayload<R> {
    const state = this.#state;
    return { type: 'error', error, readyState: state, isClosed: state === 'closed', sessionInfo: this.#session };
  }

  #apiError(status: number, text: string): InstantAPIError {
    return apiErrorFromBody({ status, text }, this.#connection.secrets, METHOD, PATH);
  }

  #deliver(payload: SubscribeQueryPayload<R>): void {
    if (this.#state !== 'closed') this.#deliverAlways(payload);
  }

  #deliverAlways(payload: SubscribeQueryPayload<R>): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(payload);
      } catch (error) {
        // The official SDK's habit: a throwing callback must not stop the others or the stream.
        console.error('instant-tx: error in a subscribeQuery callback', error);
      }
    }
  }
}

/** A timeout or abort of the request itself, as a network error code. */
function abortCode(error: unknown): string | undefined {
  const name = (error as { name?: string } | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError' ? 'ETIMEDOUT' : undefined;
}
