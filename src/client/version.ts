/** This package's version, sent in `versions` as the official SDK sends its own. */
const VERSION = '0.1.0';

/**
 * The `versions` a subscription reports to the server (Instant keeps them with the session).
 *
 * @example
 * subscribeVersions() // { 'instant-tx': '0.1.0' }
 */
export function subscribeVersions(): Record<string, string> {
  return { 'instant-tx': VERSION };
}
