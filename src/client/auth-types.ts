import type { NamespaceName, SchemaShape, UpdateAttrs } from '../builder/types.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import { isObject } from './expect-shape.ts';
import type { CallOptions } from './http-client.ts';

/** A user as the Admin API returns it. */
export type User = {
  readonly id: string;
  readonly email?: string | null;
  readonly isGuest?: boolean;
  readonly refresh_token?: string;
} & Readonly<Record<string, unknown>>;

/** `$users` system columns, which `extraFields` may not set (the server refuses them). */
type SystemUserField = 'id' | 'email' | 'type' | 'imageURL' | 'linkedPrimaryUser';

/**
 * The `$users` fields a sign-up may set: with a schema that declares `$users`, its own attributes typed
 * as `update` takes them (system ones left out); otherwise any fields.
 */
export type ExtraFieldsFor<Schema> = Schema extends SchemaShape
  ? '$users' extends NamespaceName<Schema>
    ? Omit<UpdateAttrs<Schema, '$users'>, SystemUserField>
    : Readonly<Record<string, unknown>>
  : Readonly<Record<string, unknown>>;

/** Options of {@link AuthApi.checkMagicCode}. */
export interface CheckMagicCodeOptions<Schema = undefined> extends CallOptions {
  /** `$users` fields (the app's own, not system ones) set on the user when this sign-in creates it. */
  readonly extraFields?: ExtraFieldsFor<Schema>;
  /** A guest's refresh token: a new user becomes that guest (same id); an existing one gets it linked. */
  readonly refreshToken?: string;
}

/** Options of {@link AuthApi.signInAsGuest}. */
export interface SignInAsGuestOptions<Schema = undefined> extends CallOptions {
  /** `$users` fields (the app's own, not system ones) set on the new guest. */
  readonly extraFields?: ExtraFieldsFor<Schema>;
}

/** How to name a user: by email, id or refresh token. */
export type UserLookup = { readonly email: string } | { readonly id: string } | { readonly refresh_token: string };

/** No issue when `value` is a string, else one saying what it is. */
export function stringIssue(value: unknown, name: string): ValidationIssue[] {
  return typeof value === 'string'
    ? []
    : [createIssue('invalid-argument', name, `expected a string, got ${typeof value}`)];
}

/** No issue when `extraFields` is absent or an object. */
export function fieldsIssue(extraFields: unknown): ValidationIssue[] {
  return extraFields === undefined || isObject(extraFields)
    ? []
    : [createIssue('invalid-argument', 'extraFields', 'expected an object of $users fields')];
}
