import type { Storage } from '../store/storage.ts';
import { deleteEntity } from '../transact/apply-ops.ts';

/** Instant's user object (spec §8). */
export type User = Record<string, unknown> & { id: string; app_id: string; created_at: string; isGuest: boolean };

/**
 * Users as `$users` entities plus refresh tokens, of which only a hash is stored.
 */
export class UserStore {
  readonly #storage: Storage;
  readonly #appId: string;

  constructor(storage: Storage, appId: string) {
    this.#storage = storage;
    this.#appId = appId;
  }

  #attr(label: string) {
    return this.#storage.registry.forward('$users', label)!;
  }

  /** The user with this email (exact, lower-cased), if any. */
  byEmail(email: string): User | undefined {
    const e = this.#storage.store.withValue(this.#attr('email').id, email)[0]?.e;
    return e ? this.byId(e) : undefined;
  }

  /** The user with this id, if any. */
  byId(id: string): User | undefined {
    const triples = this.#storage.store.ofEntity(id);
    const idTriple = triples.find((triple) => triple.a === this.#attr('id').id);
    if (!idTriple) return undefined;
    const user: User = {
      app_id: this.#appId,
      id,
      created_at: new Date(idTriple.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      isGuest: false,
    };
    for (const triple of triples) {
      const attr = this.#storage.registry.byId(triple.a);
      if (attr?.ns === '$users' && attr.label !== 'id') user[attr.label] = triple.v;
    }
    user.isGuest = user.type === 'guest';
    return user;
  }

  /** The user a refresh token belongs to, if the token is known. */
  byToken(token: string): User | undefined {
    const userId = this.#storage.tokens.userOf(token);
    return userId ? this.byId(userId) : undefined;
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
      this.#storage.store.insert(id, this.#attr('id').id, id, now);
      if ('email' in params) this.#storage.store.insert(id, this.#attr('email').id, params.email ?? null, now);
      user = this.byId(id)!;
    }
    const token = crypto.randomUUID();
    this.#storage.tokens.add(token, user.id);
    return { user: { ...user, refresh_token: token }, created };
  }

  /** Deletes a user (and their tokens); returns what was deleted. */
  delete(id: string): User | undefined {
    const user = this.byId(id);
    if (!user) return undefined;
    deleteEntity(this.#storage.registry, this.#storage.store, id, '$users');
    this.signOut({ id });
    return user;
  }

  /** Deletes refresh tokens: all of a user's, or one. */
  signOut(params: { id?: string; refresh_token?: string }): void {
    if (params.id) this.#storage.tokens.removeUser(params.id);
    else if (params.refresh_token) this.#storage.tokens.remove(params.refresh_token);
  }
}
