/** One Server-Sent Event: its `data` lines joined, and its `event` name when it has one. */
export interface SseEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/** What a chunk of stream text held: complete events, and the `retry:` delay (ms) if one came. */
export interface SseChunk {
  readonly events: readonly SseEvent[];
  readonly retryMs: number | undefined;
}

/**
 * Reads a `text/event-stream` as it arrives, per the WHATWG rules: lines end in LF, CR or CRLF; a blank
 * line ends an event; `data:` lines join with LF; lines starting with `:` are comments (keep-alives);
 * an optional space after the colon is dropped; `retry:` with only digits sets the reconnection delay.
 * Text after the last line break waits for the next chunk.
 *
 * @example
 * const parser = new SseParser();
 * parser.feed('retry:500\n\ndata:{"op":"sse-init"}\n\n') // { events: [{ event: undefined, data: '{"op":"sse-init"}' }], retryMs: 500 }
 */
export class SseParser {
  #rest = '';
  #data: string[] = [];
  #event: string | undefined;
  /** The last chunk ended in CR: an LF starting the next one is the second half of that line break. */
  #afterCr = false;

  /** Reads the next piece of the stream. */
  feed(text: string): SseChunk {
    const events: SseEvent[] = [];
    let retryMs: number | undefined;
    let input = this.#rest + text;
    if (this.#afterCr && input.startsWith('\n')) input = input.slice(1);
    this.#afterCr = input.endsWith('\r');
    const lines = input.split(/\r\n|\r|\n/);
    this.#rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (this.#data.length > 0) events.push({ event: this.#event, data: this.#data.join('\n') });
        this.#data = [];
        this.#event = undefined;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.#data.push(value);
      else if (field === 'event') this.#event = value;
      else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
    }
    return { events, retryMs };
  }
}
