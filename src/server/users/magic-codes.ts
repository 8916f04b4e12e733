import { createHash, randomInt } from 'node:crypto';
import type { Storage } from '../store/storage.ts';

/** How long a magic code stays valid after it is created: Instant's default, 24 hours. */
export const MAGIC_CODE_EXPIRY_MINUTES = 1440;

/** The hash a magic code is stored as: its SHA-256, in hex (as Instant stores it). */
export function hashMagicCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** True when a code created at `createdAt` (ms) has expired at `now` (ms). */
export function magicCodeExpired(createdAt: number, now: number): boolean {
  return createdAt + MAGIC_CODE_EXPIRY_MINUTES * 60 * 1000 < now;
}

/**
 * Creates a magic code for `email` (inside a write): six random digits, stored only as their hash in a
 * new `$magicCodes` row with the email, as Instant's `app-user-magic-code/create!` does (the row's
 * creation time starts its expiry). Returns the code itself, which is never stored.
 */
export function createMagicCode(storage: Storage, email: string): { code: string } {
  const code = Array.from({ length: 6 }, () => randomInt(10)).join('');
  const attr = (label: string) => storage.registry.forward('$magicCodes', label)!.id;
  const id = crypto.randomUUID();
  const now = storage.now();
  storage.store.insert(id, attr('id'), id, now);
  storage.store.insert(id, attr('codeHash'), hashMagicCode(code), now);
  storage.store.insert(id, attr('email'), email, now);
  return { code };
}
