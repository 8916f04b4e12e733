/** Headers on every explorer answer: nothing inline runs, nothing frames it, nothing is cached, no referrer leaves the origin. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Not `no-referrer`: under it a form post (log out) carries `Origin: null`, which the guard refuses.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page shown instead of the explorer when a request may not see it: what happened and how to get
 * in. Holds no data and no script.
 */
export function refusalPage(title: string, reason: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>instant-tx explorer: ${escapeHtml(title)}</title></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(reason)}</p>
<p>Open the explorer with the login link <code>instant-tx serve</code> prints (press Enter in its terminal
for a new one), or <code>server.explorerLink()</code> from <code>startLocalServer</code>. A link works once,
for a few minutes.</p></main></body></html>
`;
}
