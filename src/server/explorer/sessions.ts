import { createHash, randomBytes } from 'node:crypto';

/** How long a login link works when the options do not say: ten minutes. */
export const DEFAULT_LOGIN_TTL_MS = 10 * 60 * 1000;
/** Unused links and open sessions kept at most; the oldest goes first. */
const MAX_ENTRIES = 64;

/** Secrets are looked up by their hash, so what sits in memory is not the secret itself. */
const digest = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

/**
 * The explorer's login links and sessions. A link's secret is random (256 bits), works once and only
 * for `ttlMs`; redeeming it opens a session whose id (as random) the browser keeps in an HttpOnly cookie.
 * Sessions live as long as the server (in memory: a restart logs everyone out).
 *
 * @example
 * const sessions = new ExplorerSessions(60_000);
 * const session = sessions.redeem(sessions.mintSecret());
 * sessions.isOpen(session); // true
 */
export class ExplorerSessions {
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** Unused link secrets (hashed) and when each stops working. */
  readonly #links = new Map<string, number>();
  /** Open sessions (hashed ids). */
  readonly #sessions = new Set<string>();

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** A new one-time login secret. */
  mintSecret(): string {
    const secret = randomBytes(32).toString('base64url');
    this.#links.set(digest(secret), this.#now() + this.#ttlMs);
    trim(this.#links);
    return secret;
  }

  /** Uses up a login secret: a new session id, or undefined when the secret is unknown, used or expired. */
  redeem(secret: string | null | undefined): string | undefined {
    if (!secret) return undefined;
    const key = digest(secret);
    const expires = this.#links.get(key);
    this.#links.delete(key);
    if (expires === undefined || this.#now() > expires) return undefined;
    const session = randomBytes(32).toString('base64url');
    this.#sessions.add(digest(session));
    trim(this.#sessions);
    return session;
  }

  /** True when `session` is an open session's id. */
  isOpen(session: string | undefined): boolean {
    return session !== undefined && session !== '' && this.#sessions.has(digest(session));
  }

  /** Closes a session (log out). */
  close(session: string | undefined): void {
    if (session) this.#sessions.delete(digest(session));
  }
}

/** Drops the oldest entries of a Map or Set (insertion order) beyond {@link MAX_ENTRIES}. */
function trim(entries: Map<string, unknown> | Set<string>): void {
  for (const key of entries.keys()) {
    if (entries.size <= MAX_ENTRIES) return;
    entries.delete(key);
  }
}
