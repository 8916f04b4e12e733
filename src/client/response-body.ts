/**
 * The text of each response's body, read inside ky's retry scope by {@link readingFetch}. Keeping it
 * beside the response (rather than wrapping the bytes in a new `Response`) means each response is read
 * once and never copied; error mapping and the retry policy read the same text.
 */
const bodies = new WeakMap<Response, string>();

/**
 * Wraps `fetch` so the whole body is read before ky sees the response: a connection dropped mid-body then
 * follows the same retry policy as a failed request (reads retry, transact does not).
 */
export function readingFetch(fetchImpl: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    bodies.set(response, await response.text());
    return response;
  };
}

/** The body text `readingFetch` read for a response; otherwise (a custom `fetch` path) reads a clone. */
export async function bodyText(response: Response): Promise<string> {
  return bodies.get(response) ?? (response.bodyUsed ? '' : response.clone().text());
}
