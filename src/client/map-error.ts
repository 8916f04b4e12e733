import { HTTPError, TimeoutError } from 'ky';
import { InstantAbortError } from '../errors/instant-abort-error.ts';
import type { InstantAPIError } from '../errors/instant-api-error.ts';
import { InstantNetworkError } from '../errors/instant-network-error.ts';
import { InstantTimeoutError } from '../errors/instant-timeout-error.ts';
import { apiErrorFromBody } from './api-error-body.ts';
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

function apiError(error: HTTPError, site: CallSite, secrets: Secrets): Promise<InstantAPIError> {
  return responseError(error.response, site, secrets);
}

/**
 * The {@link InstantAPIError} for a response that is not a success (its body as read once, or from a
 * clone, so the response stays readable), with every known secret redacted.
 */
export async function responseError(response: Response, site: CallSite, secrets: Secrets): Promise<InstantAPIError> {
  const text = await bodyText(response).catch(() => '');
  const answer = {
    status: response.status,
    text,
    statusText: response.statusText || 'error',
    traceIdHeader: response.headers.get('x-trace-id'),
  };
  return apiErrorFromBody(answer, secrets, site.method, site.path);
}
