/**
 * The value of the cookie `name` in a `Cookie` header's text, as the `cookie` package (which the official
 * SDK uses) reads it: the first pair with that name, trimmed, surrounding quotes removed, %-escapes
 * decoded (kept as they are when malformed); undefined when absent. One reader for the client's
 * `getUserFromRequest` and the server's explorer session.
 *
 * @example
 * cookieValue('a=1; instant_user_x=%7B%7D', 'instant_user_x') // '{}'
 */
export function cookieValue(header: string, name: string): string | undefined {
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      return value.includes('%') ? decodeURIComponent(value) : value;
    } catch {
      return value;
    }
  }
  return undefined;
}
