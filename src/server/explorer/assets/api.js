// The explorer's calls to its server: the session cookie goes along by itself (HttpOnly, never seen
// here); the server adds the admin credentials, or impersonates whom `as` names.

/** Who the views run as: `{ kind: 'admin' | 'guest' | 'user', email }`. */
export const caller = { kind: 'admin', email: '' };

/** The `x-explorer-as` header value for the current caller. */
function asHeader() {
  if (caller.kind === 'guest') return 'guest';
  if (caller.kind === 'user') return `user:${caller.email}`;
  return 'admin';
}

/**
 * Calls the explorer API. Resolves with `{ ok, status, data, ms }`; `data` is the JSON answer (an
 * Instant error body `{type, message, hint}` when not ok), or `{ message }` when the answer was not JSON.
 */
export async function api(path, body, options = {}) {
  const started = performance.now();
  const headers = { 'x-explorer-request': '1', 'x-explorer-as': options.asAdmin ? 'admin' : asHeader() };
  const init = body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(`/explorer/api/${path}`, init);
  } catch (error) {
    return { ok: false, status: 0, data: { message: `The server did not answer: ${error.message}` }, ms: 0 };
  }
  const text = await response.text();
  const ms = performance.now() - started;
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    data = { message: text };
  }
  return { ok: response.ok, status: response.status, data, ms };
}

/** Runs an InstaQL query as the current caller. */
export const query = (q) => api('query', { query: q });

/** Runs a query as the current caller with the rule checks (not for the admin, who bypasses rules). */
export const queryWithChecks = (q) => api('query_perms_check', { query: q });

/** Sends transaction steps as the current caller. */
export const transact = (steps) => api('transact', { steps });
