import { ApiError } from '../api/api-error.ts';
import type { ApiRequest } from '../api/api-request.ts';
import { excerpt, excerptMessage } from '../http/error-excerpt.ts';
import type { Commit } from '../store/storage.ts';
import { type DataFootprint, overlaps } from '../store/data-footprint.ts';
import { addQueryOkEvent, errorEvent, refreshOkEvent, type StreamError } from './live-events.ts';
import type { SseStream } from './sse-stream.ts';

/** A query's answer as JSON text, and what it read (unknown: any commit may change it). */
export interface TrackedAnswer {
  readonly text: string;
  readonly reads: DataFootprint | undefined;
}

/** Runs a `POST /admin/query` request (off the main thread when it can) and answers with what it read. */
export type RunTracked = (request: ApiRequest) => Promise<TrackedAnswer>;

/** What a subscription needs from the server around it. */
export interface SubscriptionDeps {
  readonly run: RunTracked;
  readonly txId: () => number;
  readonly log: (line: string) => void;
}

const UNKNOWN_ERROR = 'Yikes, something broke on our end! Sorry about that.';

/**
 * One live query on one stream. Its query runs once (`add-query-ok`), then again after each commit
 * that touched what the last run read (an attribute it looked at, an entity it loaded; any commit while
 * it does not know yet), and a `refresh-ok` goes out only when the answer's text changed. At most one
 * run is in flight: commits during a run (or while the client is slow to read) mark it stale, and one
 * more run follows, so a burst of commits costs at most two runs and the client gets the latest answer.
 * The query runs with the subscriber's own request headers, so under its permissions, every time.
 */
export class Subscription {
  readonly #request: ApiRequest;
  readonly #stream: SseStream;
  readonly #deps: SubscriptionDeps;
  readonly #sessionId: string;
  readonly #queryJson: string;
  readonly #clientEventId = crypto.randomUUID();
  #reads: DataFootprint | undefined;
  #lastText: string | undefined;
  #running = false;
  #stale = false;
  /** Set when the first run failed: Instant then keeps the stream open but no longer runs the query. */
  #inert = false;

  constructor(request: ApiRequest, stream: SseStream, sessionId: string, deps: SubscriptionDeps) {
    this.#request = request;
    this.#stream = stream;
    this.#sessionId = sessionId;
    this.#deps = deps;
    this.#queryJson = JSON.stringify(request.body.query);
    stream.onDrain(() => {
      if (this.#stale) this.#start();
    });
  }

  /** Runs the query the first time. */
  begin(): void {
    this.#start();
  }

  /** Hears of a commit: runs the query again when the commit may change its answer. */
  notify(commit: Commit): void {
    if (this.#inert || this.#stream.closed) return;
    if (this.#running || this.#stream.backedUp) {
      this.#stale = true;
      return;
    }
    if (commit.attrsChanged || !this.#reads || overlaps(this.#reads, commit.changed)) this.#start();
  }

  #start(): void {
    if (this.#running || this.#inert || this.#stream.closed) return;
    this.#running = true;
    this.#stale = false;
    const first = this.#lastText === undefined;
    const base = { queryJson: this.#queryJson, txId: this.#deps.txId() };
    const started = performance.now();
    this.#deps
      .run(this.#request)
      .then(
        (answer) => {
          this.#reads = answer.reads;
          if (first) this.#stream.send(addQueryOkEvent(base, this.#clientEventId, answer.text));
          else if (answer.text !== this.#lastText)
            this.#stream.send(refreshOkEvent(base, answer.text, performance.now() - started));
          this.#lastText = answer.text;
        },
        (error: unknown) => this.#fail(error, first, base.txId),
      )
      .finally(() => {
        this.#running = false;
        if (this.#stale && !this.#stream.backedUp) this.#start();
      });
  }

  /** Reports a failed run on the stream, as Instant does; a failed first run leaves the query inert. */
  #fail(error: unknown, first: boolean, txId: number): void {
    if (first) this.#inert = true;
    const original = first
      ? {
          op: 'add-query',
          q: excerpt(this.#request.body.query),
          'client-event-id': this.#clientEventId,
          'return-type': 'tree',
          'session-id': this.#sessionId,
        }
      : { op: 'refresh', 'session-id': this.#sessionId, 'tx-id': txId };
    this.#stream.send(errorEvent(this.#describe(error), first ? this.#clientEventId : undefined, original));
  }

  #describe(error: unknown): StreamError {
    if (error instanceof ApiError) {
      // Instant reports its known request errors on a stream as 400, everything else as 500.
      const status = error.status === 400 ? 400 : 500;
      return { status, type: error.type, message: excerptMessage(error.message), hint: excerpt(error.hint) };
    }
    const traceId = crypto.randomUUID();
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.#deps.log(`[instant-tx server] live query failed, trace-id ${traceId}: ${detail}`);
    return { status: 500, type: undefined, message: UNKNOWN_ERROR, hint: { 'trace-id': traceId } };
  }
}
