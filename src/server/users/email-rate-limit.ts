/** Instant's default limit: magic codes sent, and codes tried, per app and email per hour (`magic-code-rate-limit-per-hour`). */
export const MAGIC_CODE_LIMIT_PER_HOUR = 20;

const HOUR_MS = 60 * 60 * 1000;

/** Past this many tracked emails, windows that have ended are dropped, so hostile traffic cannot grow the map without bound. */
const PRUNE_ABOVE = 10_000;

/**
 * Instant's per-email magic-code rate limits (`instant.runtime.magic-code-auth`): a bucket of
 * {@link MAGIC_CODE_LIMIT_PER_HOUR} for sending codes and another for checking them, each refilled in
 * full an hour after its first use (bucket4j's interval refill). Kept in memory, as Instant keeps them
 * outside the database: a restart forgets them. Every attempt counts, right or wrong, so a code cannot
 * be guessed by trying many.
 *
 * @example
 * const limits = new EmailRateLimits(Date.now);
 * limits.tryConsume('send', 'alyssa@example.com'); // true, 19 more this hour
 */
export class EmailRateLimits {
  readonly #now: () => number;
  readonly #limit: number;
  readonly #windows = new Map<string, { start: number; used: number }>();

  constructor(now: () => number, limit = MAGIC_CODE_LIMIT_PER_HOUR) {
    this.#now = now;
    this.#limit = limit;
  }

  /** Takes one attempt of `kind` for `email`; false when the hour's attempts are used up. */
  tryConsume(kind: 'send' | 'verify', email: string): boolean {
    const now = this.#now();
    const key = `${kind} ${email}`;
    let window = this.#windows.get(key);
    if (!window || now - window.start >= HOUR_MS) {
      if (this.#windows.size > PRUNE_ABOVE) this.#prune(now);
      window = { start: now, used: 0 };
      this.#windows.set(key, window);
    }
    if (window.used >= this.#limit) return false;
    window.used += 1;
    return true;
  }

  #prune(now: number): void {
    for (const [key, window] of this.#windows) if (now - window.start >= HOUR_MS) this.#windows.delete(key);
  }
}
