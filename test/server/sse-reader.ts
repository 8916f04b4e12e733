/** A `subscribe-query` stream read by hand: its status and the JSON messages as they arrive. */
export interface SseReader {
  readonly status: number;
  readonly headers: Headers;
  /** The next message (parsed `data:` JSON), or rejects after `ms`. */
  next(ms?: number): Promise<any>;
  /** The next message and when it arrived (`performance.now()`), or rejects after `ms`. */
  nextTimed(ms?: number): Promise<{ message: any; at: number }>;
  /** Resolves true when no message arrives within `ms`. */
  quiet(ms: number): Promise<boolean>;
  /** Resolves when the server ended the stream. */
  readonly ended: Promise<void>;
  /** The raw text received so far. */
  readonly raw: () => string;
  close(): void;
}

/** POSTs to `url` and reads the answer as Server-Sent Events (`data:` lines holding JSON). */
export async function openSse(url: string, headers: Record<string, string>, body: unknown): Promise<SseReader> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: controller.signal,
  });
  const messages: { message: any; at: number }[] = [];
  let waiter: (() => void) | undefined;
  let raw = '';
  let consumed = 0;
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        raw += decoder.decode(chunk, { stream: true });
        parse();
        waiter?.();
      }
    } catch {}
    waiter?.();
  })();
  function parse(): void {
    const complete = raw.lastIndexOf('\n\n');
    if (complete < consumed) return;
    for (const block of raw.slice(consumed, complete).split('\n\n'))
      for (const line of block.split('\n'))
        if (line.startsWith('data:')) messages.push({ message: JSON.parse(line.slice(5)), at: performance.now() });
    consumed = complete + 2;
  }
  const reader: SseReader = {
    status: response.status,
    headers: response.headers,
    ended,
    raw: () => raw,
    async next(ms = 2000) {
      return (await reader.nextTimed(ms)).message;
    },
    async nextTimed(ms = 2000) {
      const deadline = Date.now() + ms;
      while (messages.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no message within ${ms} ms; received: ${raw}`);
        await new Promise<void>((resolve) => {
          waiter = resolve;
          setTimeout(resolve, left);
        });
      }
      return messages.shift()!;
    },
    async quiet(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return messages.length === 0;
    },
    close: () => controller.abort(),
  };
  return reader;
}
