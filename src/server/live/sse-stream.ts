import type { ServerResponse } from 'node:http';

/**
 * One response held open as a Server-Sent Events stream (`text/event-stream`). Events are JSON texts
 * sent as `data:` lines with no event name (what Instant's server sends and its SDK reads through
 * `onmessage`). A slow reader never makes memory grow: while the socket is backed up, only the newest
 * event waits (each one carries a whole result, so an older one is worth nothing once a newer exists),
 * and it goes out on `drain`. (`new SseStream(res, 500)` inside a request handler; `stream.send(json)`.)
 */
export class SseStream {
  readonly #res: ServerResponse;
  #waiting: string | undefined;
  #closed = false;

  /** Sends the headers and the reconnection delay (`retry:`, ms) the client should wait after a drop. */
  constructor(res: ServerResponse, retryMs: number) {
    this.#res = res;
    // `nocache` is Instant's spelling (its SSE handler's Cache-Control); anything else caches nothing either.
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=UTF-8',
      'cache-control': 'nocache',
      connection: 'keep-alive',
    });
    res.write(`retry:${retryMs}\n\n`);
    res.on('drain', () => this.#flush());
    // A write racing a dropped connection must not become an unhandled 'error' that stops the server.
    res.on('error', () => undefined);
    res.on('close', () => {
      this.#closed = true;
      this.#waiting = undefined;
    });
  }

  /** True once the connection is gone (the client left, or {@link SseStream.close}). */
  get closed(): boolean {
    return this.#closed || this.#res.destroyed;
  }

  /** True while the socket is backed up: a new event would wait. */
  get backedUp(): boolean {
    return this.#res.writableNeedDrain;
  }

  /** Sends one event (a JSON text without line breaks), or keeps it as the one waiting for `drain`. */
  send(json: string): void {
    if (this.closed) return;
    if (this.backedUp) this.#waiting = json;
    else this.#res.write(`data:${json}\n\n`);
  }

  /** A comment line, which keeps proxies and the client from thinking the stream died. */
  keepAlive(): void {
    if (!this.closed && !this.backedUp) this.#res.write(':\n\n');
  }

  /** Calls `listener` once the connection is gone, whoever closed it. */
  onClose(listener: () => void): void {
    this.#res.on('close', listener);
  }

  /** Calls `listener` whenever a backed-up socket drains. */
  onDrain(listener: () => void): void {
    this.#res.on('drain', listener);
  }

  /** Ends the stream (the client sees the response end). */
  close(): void {
    if (this.closed) return;
    this.#closed = true;
    this.#waiting = undefined;
    this.#res.end();
  }

  #flush(): void {
    const json = this.#waiting;
    this.#waiting = undefined;
    if (json !== undefined) this.send(json);
  }
}
