import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { AttrRegistry } from '../store/attr-registry.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { deleteEntity } from '../transact/apply-ops.ts';

/** Instant's user object (spec §8). */
export type User = Record<string, unknown> & { id: string; app_id: string; created_at: string; isGuest: boolean };

const SYSTEM_LABELS = new Set(['id', 'email', 'imageURL', 'type', 'linkedPrimaryUser']);
const hash = (token: string): string => createHash('sha256').update(token.toLowerCase()).digest('hex');

/**
 * Users as `$users` entities plus refresh tokens, of which only a hash is stored.
 */
export class UserStore {
  readonly #db: DatabaseSync;
  readonly #registry: AttrRegistry;
  readonly #store: TripleStore;
  readonly #appId: string;

  constructor(db: DatabaseSync, registry: AttrRegistry, store: TripleStore, appId: string) {
    this.#db = db;
    this.#registry = registry;
    this.#store = store;
    this.#appId = appId;
  }

  #attr(label: string) {
    return this.#registry.forward('$users', label)!;
  }

  /** The user with this email (exact, lower-cased), if any. */
  byEmail(email: string): User | undefined {
    const e = this.#store.withValue(this.#attr('email').id, email)[0]?.e;
    return e ? this.byId(e) : undefined;
  }

  /** The user with this id, if any. */
  byId(id: string): User | undefined {
    const triples = this.#store.ofEntity(id);
    const idTriple = triples.find((triple) => triple.a === this.#attr('id').id);
    if (!idTriple) return undefined;
    const user: User = {
      app_id: this.#appId,
      id,
      created_at: new Date(idTriple.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      isGuest: false,
    };
    for (const triple of triples) {
      const attr = this.#registry.byId(triple.a);
      if (attr?.ns === '$users' && attr.label !== 'id') user[attr.label] = triple.v;
    }
    user.isGuest = user.type === 'guest';
    return user;
  }

  /** The user a refresh token belongs to, if the token is known. */
  byToken(token: string): User | undefined {
    const row = this.#db.prepare('SELECT user_id FROM refresh_tokens WHERE hashed_token = ?').get(hash(token)) as
      | { user_id: string }
      | undefined;
    return row ? this.byId(row.user_id) : undefined;
  }

  /**
   * Finds (by email, else id) or creates the user, then mints a new refresh token for them.
   */
  createToken(params: { email?: string; id?: string }): { user: User & { refresh_token: string }; created: boolean } {
    let user = params.email !== undefined ? this.byEmail(params.email) : this.byId(params.id!);
    const created = !user;
    if (!user) {
      const id = params.id ?? crypto.randomUUID();
      const now = Date.now();
      this.#store.insert(id, this.#attr('id').id, id, now);
      if ('email' in params) this.#store.insert(id, this.#attr('email').id, params.email ?? null, now);
      user = this.byId(id)!;
    }
    const token = crypto.randomUUID();
    this.#db.prepare('INSERT INTO refresh_tokens (hashed_token, user_id) VALUES (?, ?)').run(hash(token), user.id);
    return { user: { ...user, refresh_token: token }, created };
  }

  /** Deletes a user (and their tokens); returns what was deleted. */
  delete(id: string): User | undefined {
    const user = this.byId(id);
    if (!user) return undefined;
    deleteEntity(this.#registry, this.#store, id, '$users', new Set());
    this.signOut({ id });
    return user;
  }

  /** Deletes refresh tokens: all of a user's, or one. */
  signOut(params: { id?: string; refresh_token?: string }): void {
    if (params.id) this.#db.prepare('DELETE FROM refresh_tokens WHERE user_id = ?').run(params.id);
    else if (params.refresh_token)
      this.#db.prepare('DELETE FROM refresh_tokens WHERE hashed_token = ?').run(hash(params.refresh_token));
  }

  /** True for a `$users` attribute apps may not set directly. @example UserStore.isSystemLabel('email') // true */
  static isSystemLabel(label: string): boolean {
    return SYSTEM_LABELS.has(label);
  }
}
