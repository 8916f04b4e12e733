import type { IncomingHttpHeaders } from 'node:http';

/** Where a request to the explorer may come from: the page's own origin, on loopback unless `allowRemote`. */
export interface GuardOptions {
  /** The port the server listens on. */
  readonly port: number;
  /** Serve other hosts and addresses too (the user asked for it). */
  readonly allowRemote: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Why a request is refused before any session is looked at, or undefined when it may go on. On loopback
 * the `Host` must name this machine and port (a page on another site that rebinds its DNS name to
 * 127.0.0.1 sends its own name). An `Origin`, when sent, must be the page's own; `Sec-Fetch-Site`, when
 * sent, must be same-origin — or `none` (typed in, clicked in a terminal) for a page load (`navigation`).
 */
export function refusal(
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
  options: GuardOptions,
  navigation: boolean,
): string | undefined {
  const host = headers.host ?? '';
  if (!options.allowRemote) {
    if (!isLoopbackAddress(remoteAddress)) return 'the explorer answers only on this machine (loopback)';
    const [name, port] = splitHost(host);
    // Host names are case-insensitive: LOCALHOST is this machine too.
    if (!LOOPBACK_HOSTS.has(name.toLowerCase()) || port !== String(options.port))
      return `the Host header ${host} is not this server`;
  }
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return 'the request comes from another origin';
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && !(navigation && site === 'none'))
    return `the request comes from another site (${site})`;
  return undefined;
}

/** `host:port` → [host, port]; an IPv6 host keeps its brackets. */
function splitHost(host: string): [string, string] {
  const at = host.lastIndexOf(':');
  if (at < 0 || host.endsWith(']')) return [host, '80'];
  return [host.slice(0, at), host.slice(at + 1)];
}
