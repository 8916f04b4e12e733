/** One email the local server "sent": a magic code, kept instead of being delivered. */
export interface OutboxMessage {
  /** The address it was sent to (lower-cased, as Instant stores emails). */
  readonly to: string;
  readonly subject: string;
  /** Plain text: Instant's default magic-code email, in words. */
  readonly body: string;
  /** The six-digit code in it. */
  readonly code: string;
  readonly sentAt: Date;
}

/** Options of {@link Outbox.next}. */
export interface NextMessageOptions {
  /** Wait for a message to this address only (any case). */
  readonly to?: string;
  /** Reject after this many ms without one (default 5,000). */
  readonly timeoutMs?: number;
}

/** The outbox keeps this many messages; older ones are dropped. */
const KEEP = 1_000;

/**
 * Where the local server puts the emails Instant would send (`POST /admin/send_magic_code`), so a
 * developer or a test can read the code: like the mail catchers other local stacks ship. Nothing leaves
 * the machine. `instant-tx serve` prints each message as it arrives.
 *
 * @example
 * const server = await startLocalServer();
 * const db = init({ appId: server.appId, adminToken: server.adminToken, apiURI: server.url });
 * const next = server.outbox.next({ to: 'alyssa@example.com' });
 * await db.auth.sendMagicCode('alyssa@example.com');
 * const { code } = await next;
 * await db.auth.checkMagicCode('alyssa@example.com', code);
 * await server.close();
 */
export class Outbox {
  readonly #messages: OutboxMessage[] = [];
  readonly #listeners = new Set<(message: OutboxMessage) => void>();

  /** The messages sent so far (the last 1,000), oldest first. */
  get messages(): readonly OutboxMessage[] {
    return [...this.#messages];
  }

  /** The most recent message to `to`, if any. @example new Outbox().latest('alyssa@example.com')?.code // undefined: nothing sent yet */
  latest(to: string): OutboxMessage | undefined {
    const address = to.toLowerCase().trim();
    return this.#messages.findLast((message) => message.to === address);
  }

  /**
   * The next message sent after this call (to `options.to` only, when given). Rejects after
   * `timeoutMs` (default 5,000) without one.
   *
   * @example
   * const outbox = new Outbox();
   * const next = outbox.next({ to: 'alyssa@example.com', timeoutMs: 1_000 });
   */
  next(options: NextMessageOptions = {}): Promise<OutboxMessage> {
    const address = options.to?.toLowerCase().trim();
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const listener = (message: OutboxMessage) => {
        if (address !== undefined && message.to !== address) return;
        stop();
        resolve(message);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`no email${address ? ` to ${address}` : ''} arrived in the outbox within ${timeoutMs} ms`));
      }, timeoutMs);
      const stop = () => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
      };
      this.#listeners.add(listener);
    });
  }

  /** Calls `listener` with every message sent from now on; returns the function that stops it. @example const stop = new Outbox().onMessage((m) => console.log(m.to, m.code)); */
  onMessage(listener: (message: OutboxMessage) => void): () => void {
    const wrapped = (message: OutboxMessage) => listener(message);
    this.#listeners.add(wrapped);
    return () => this.#listeners.delete(wrapped);
  }

  /** Forgets the messages sent so far. @example new Outbox().clear() */
  clear(): void {
    this.#messages.length = 0;
  }

  /** @internal Records a message and tells the listeners. */
  deliver(message: OutboxMessage): void {
    this.#messages.push(message);
    if (this.#messages.length > KEEP) this.#messages.shift();
    for (const listener of [...this.#listeners]) {
      try {
        listener(message);
      } catch {
        // A reader that fails (a closed stdout) must not fail the request that sent the message.
      }
    }
  }
}
