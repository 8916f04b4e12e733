/** A parsed answer: status, JSON body (undefined when not JSON) and the raw text. */
export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly text: string;
}

/**
 * Sends one JSON request to a test server and reads the whole answer. A string body is sent as it is
 * (for malformed or hand-built JSON); anything else is JSON-encoded.
 */
export async function fetchAnswer(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}
