import { createHash } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';

const hash = (token: string): string => createHash('sha256').update(token.toLowerCase()).digest('hex');

/**
 * Refresh tokens: only a SHA-256 of each token is stored, so the database file never holds a usable
 * token. Statements are prepared once.
 */
export class TokenStore {
  readonly #userOf: StatementSync;
  readonly #add: StatementSync;
  readonly #removeUser: StatementSync;
  readonly #remove: StatementSync;

  constructor(db: DatabaseSync) {
    this.#userOf = db.prepare('SELECT user_id FROM refresh_tokens WHERE hashed_token = ?');
    this.#add = db.prepare('INSERT INTO refresh_tokens (hashed_token, user_id) VALUES (?, ?)');
    this.#removeUser = db.prepare('DELETE FROM refresh_tokens WHERE user_id = ?');
    this.#remove = db.prepare('DELETE FROM refresh_tokens WHERE hashed_token = ?');
  }

  /** The id of the user a token belongs to, if the token is known. */
  userOf(token: string): string | undefined {
    return (this.#userOf.get(hash(token)) as { user_id: string } | undefined)?.user_id;
  }

  /** Records a new token for a user. */
  add(token: string, userId: string): void {
    this.#add.run(hash(token), userId);
  }

  /** Forgets every token of a user. */
  removeUser(userId: string): void {
    this.#removeUser.run(userId);
  }

  /** Forgets one token. */
  remove(token: string): void {
    this.#remove.run(hash(token));
  }
}
