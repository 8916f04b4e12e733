import { createHash, randomInt } from 'node:crypto';
import { ApiError } from '../api/api-error.ts';
import type { Storage } from '../store/storage.ts';
import { deleteEntity } from '../transact/apply-ops.ts';
import type { OutboxMessage } from './outbox.ts';

/** How long a magic code stays valid after it is created: Instant's default, 24 hours. */
export const MAGIC_CODE_EXPIRY_MINUTES = 1440;

/** The app title the local server's emails name (it has no dashboard title). */
const APP_TITLE = 'your app';

/** The hash a magic code is stored as: its SHA-256, in hex (as Instant stores it). */
export function hashMagicCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** True when a code created at `createdAt` (ms) has expired at `now` (ms). */
export function magicCodeExpired(createdAt: number, now: number): boolean {
  return createdAt + MAGIC_CODE_EXPIRY_MINUTES * 60 * 1000 < now;
}

const attrId = (storage: Storage, label: string): string => storage.registry.forward('$magicCodes', label)!.id;

/**
 * Creates a magic code for `email` (inside a write): six random digits, stored only as their hash in a
 * new `$magicCodes` row with the email, as Instant's `app-user-magic-code/create!` does (the row's
 * creation time starts its expiry). Returns the code itself, which is never stored.
 */
export function createMagicCode(storage: Storage, email: string): { code: string } {
  const code = Array.from({ length: 6 }, () => randomInt(10)).join('');
  const id = crypto.randomUUID();
  const now = storage.now();
  storage.store.insert(id, attrId(storage, 'id'), id, now);
  storage.store.insert(id, attrId(storage, 'codeHash'), hashMagicCode(code), now);
  storage.store.insert(id, attrId(storage, 'email'), email, now);
  return { code };
}

/**
 * Uses up a magic code (inside a write), as Instant's `app-user-magic-code/consume!`: the `$magicCodes`
 * row with this code's hash and this email is deleted, so a code works once. No such row (a wrong code,
 * one already used, another email's) → 400 `record-not-found`; a row older than the expiry → 400
 * `record-expired` (the request's write rolls back, so the expired row stays, as in Instant).
 */
export function consumeMagicCode(storage: Storage, appId: string, email: string, code: string): void {
  const args = [{ 'app-id': appId, code, email }];
  const emailAttr = attrId(storage, 'email');
  const idAttr = attrId(storage, 'id');
  const row = storage.store
    .withValue(attrId(storage, 'codeHash'), hashMagicCode(code))
    .find((triple) => storage.store.values(triple.e, emailAttr).some((value) => value.v === email));
  if (!row)
    throw new ApiError(400, 'record-not-found', 'Record not found: app-user-magic-code', {
      args,
      'record-type': 'app-user-magic-code',
    });
  const createdAt = storage.store.values(row.e, idAttr)[0]?.createdAt ?? row.createdAt;
  deleteEntity(storage.registry, storage.store, row.e, '$magicCodes');
  if (magicCodeExpired(createdAt, storage.now()))
    throw new ApiError(400, 'record-expired', 'Record expired: app-user-magic-code', { args });
}

/** "24 hours", "1 hour", "30 minutes": how Instant's email words the expiry (`friendly-expiration`). */
function friendlyExpiration(minutes: number): string {
  if (minutes < 60) return `${minutes} minute${minutes > 1 ? 's' : ''}`;
  const hours = Math.floor(minutes / 60);
  return `${hours} hour${hours > 1 ? 's' : ''}`;
}

/**
 * The email Instant sends with a magic code (its default template: subject `<code> is your
 * verification code for <app>`, and the body's words), as plain text.
 */
export function magicCodeEmail(to: string, code: string, sentAt: Date): OutboxMessage {
  const expiration = friendlyExpiration(MAGIC_CODE_EXPIRY_MINUTES);
  const body = [
    'Welcome,',
    `You asked to join ${APP_TITLE}. To complete your registration, use this verification code:`,
    code,
    "Copy and paste this into the confirmation box, and you'll be on your way.",
    `Note: This code will expire in ${expiration}, and can only be used once. If you didn't request this code, please reply to this email.`,
  ].join('\n\n');
  return { to, subject: `${code} is your verification code for ${APP_TITLE}`, body, code, sentAt };
}
