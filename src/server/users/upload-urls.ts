/** How long an upload URL stays valid: Instant's `app_upload_urls.expired_at` default, five minutes. */
export const UPLOAD_URL_TTL_MS = 5 * 60 * 1000;

/**
 * The one-time upload URLs of the deprecated `db.storage.upload` (Instant's `app_upload_urls`): each
 * names the path its upload will be stored at, is valid for {@link UPLOAD_URL_TTL_MS}, and is gone once
 * used (or tried). Kept in memory: a restart forgets them, as their five minutes would have anyway.
 *
 * @example
 * const urls = new UploadUrls(Date.now);
 * const id = urls.create('photos/a.png');
 * urls.consume(id) // 'photos/a.png'; a second consume → undefined
 */
export class UploadUrls {
  readonly #now: () => number;
  readonly #pending = new Map<string, { readonly path: string; readonly expiresAt: number }>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /** A new upload id for `path`. */
  create(path: string): string {
    this.#sweep();
    const id = crypto.randomUUID();
    this.#pending.set(id, { path, expiresAt: this.#now() + UPLOAD_URL_TTL_MS });
    return id;
  }

  /** Uses up the upload id: its path when it exists and has not expired, else undefined. */
  consume(id: string): string | undefined {
    const entry = this.#pending.get(id);
    this.#pending.delete(id);
    return entry && entry.expiresAt > this.#now() ? entry.path : undefined;
  }

  /** Forgets expired ids, so ones never used do not pile up. */
  #sweep(): void {
    const now = this.#now();
    for (const [id, entry] of this.#pending) if (entry.expiresAt <= now) this.#pending.delete(id);
  }
}
