import type { Storage } from '../store/storage.ts';
import { deleteEntity } from '../transact/apply-ops.ts';
import { runTransaction } from '../transact/run-transaction.ts';

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
  createToken(params: {
    email?: string;
    id?: string;
    /**
     * The fields to set on the user when it is created, checked (it may throw) only then: Instant checks
     * `extra-fields` only when it creates the user.
     */
    extraFields?: () => Readonly<Record<string, unknown>>;
  }): { user: User & { refresh_token: string }; created: boolean } {
    let user = params.email !== undefined ? this.byEmail(params.email) : this.byId(params.id!);
    const created = !user;
    if (!user) {
      const extraFields = params.extraFields?.();
      const id = params.id ?? crypto.randomUUID();
      const now = Date.now();
      this.#storage.store.insert(id, this.#attr('id').id, id, now);
      if ('email' in params) this.#storage.store.insert(id, this.#attr('email').id, params.email ?? null, now);
      if (extraFields && Object.keys(extraFields).length > 0) this.create({ id, extraFields });
      user = this.byId(id)!;
    }
    const token = crypto.randomUUID();
    this.#storage.tokens.add(token, user.id);
    return { user: { ...user, refresh_token: token }, created };
  }

  /**
   * Creates a user, or sets fields on an existing row with this id (a guest being upgraded), as one
   * transaction of the request's write, as Instant's `app-user/create!`: `email` and `type` when given,
   * then the (already checked) extra fields, whose values are checked like any write to their attributes.
   */
  create(params: {
    id?: string;
    email?: string;
    type?: 'user' | 'guest';
    extraFields?: Readonly<Record<string, unknown>>;
  }): User {
    const id = params.id ?? crypto.randomUUID();
    const fields = {
      ...params.extraFields,
      ...(params.email !== undefined ? { email: params.email } : {}),
      ...(params.type !== undefined ? { type: params.type } : {}),
    };
    runTransaction(this.#storage, [['update', '$users', id, fields]], { throwOnMissingAttrs: true });
    return this.byId(id)!;
  }

  /**
   * Links a guest to the existing user it signed in as (`linkedPrimaryUser`), as Instant's `link-guest`
   * does when a guest verifies the email of a user that already exists.
   */
  linkGuest(guestId: string, primaryId: string): void {
    runTransaction(this.#storage, [['link', '$users', guestId, { linkedPrimaryUser: primaryId }]], {
      throwOnMissingAttrs: true,
    });
  }

  /** Mints a new refresh token for an existing user. */
  newToken(userId: string): string {
    const token = crypto.randomUUID();
    this.#storage.tokens.add(token, userId);
    return token;
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
