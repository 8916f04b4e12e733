/** The signed-in user as rules see it (`auth`): Instant's user object, with at least its id. */
export type AuthUser = Readonly<Record<string, unknown>> & { readonly id: string };

/** Who is making a request: the admin (rules bypassed), a signed-in user, or a guest. */
export type Caller =
  | { readonly kind: 'admin' }
  | { readonly kind: 'user'; readonly user: AuthUser }
  | { readonly kind: 'guest' };

/**
 * Who made a request, as the explorer's activity list names it: `admin`, `guest` or `user <email | id>`.
 *
 * @example
 * callerLabel({ kind: 'guest' }) // 'guest'
 */
export function callerLabel(caller: Caller): string {
  return caller.kind === 'user' ? `user ${String(caller.user.email ?? caller.user.id)}` : caller.kind;
}
