import { HTTPError, TimeoutError } from 'ky';
import { InstantAbortError } from '../errors/instant-abort-error.ts';
import { InstantAPIError } from '../errors/instant-api-error.ts';
import { InstantNetworkError } from '../errors/instant-network-error.ts';
import { InstantTimeoutError } from '../errors/instant-timeout-error.ts';
import { bodyText } from './response-body.ts';
import { networkCode } from './retry-policy.ts';
import type { Secrets } from './secrets.ts';

/** Where a failed call was going, for messages. */
export interface CallSite {
  readonly method: string;
  readonly path: string;
  readonly timeout: number;
  readonly totalTimeout: number;
}

/**
 * Turns whatever ky or fetch threw into one of the documented error classes, with every known secret
 * redacted from messages and bodies. Never returns a bare `TypeError: fetch failed`.
 */
export async function mapError(error: unknown, site: CallSite, secrets: Secrets): Promise<Error> {
  if (error instanceof HTTPError) return apiError(error, site, secrets);
  if (error instanceof TimeoutError) return new InstantTimeoutError(site.method, site.path, site.timeout);
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError') return new InstantTimeoutError(site.method, site.path, site.totalTimeout);
  if (name === 'AbortError') return new InstantAbortError(site.method, site.path);
  if (error instanceof TypeError)
    return new InstantNetworkError(site.method, site.path, networkCode(error), { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

async function apiError(error: HTTPError, site: CallSite, secrets: Secrets): Promise<InstantAPIError> {
  const { response } = error;
  const text = await bodyText(response).catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const json = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  const snippet = text.replace(/\s+/g, ' ').slice(0, 200);
  return new InstantAPIError({
    status: response.status,
    type: typeof json?.type === 'string' ? (json.type as string) : json ? 'unknown' : 'non-json-response',
    message: secrets.redact(
      typeof json?.message === 'string'
        ? (json.message as string)
        : `${response.statusText || 'error'}; body: ${snippet}`,
    ),
    hint: secrets.redactValue(json?.hint ?? null),
    traceId: (json?.['trace-id'] ?? json?.traceId ?? response.headers.get('x-trace-id') ?? undefined) as
      | string
      | undefined,
    body: secrets.redactValue(json ?? text),
    method: site.method,
    path: site.path,
  });
}
