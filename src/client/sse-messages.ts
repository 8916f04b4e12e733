import { InstantAPIError } from '../errors/instant-api-error.ts';
import type { Secrets } from './secrets.ts';
import type { PageInfo } from './subscription-types.ts';

/**
 * An Instant error body (an HTTP error answer, or an `error` event's JSON) as an {@link InstantAPIError}
 * with every known secret redacted; a body that is not JSON becomes `non-json-response`.
 *
 * @example
 * const secrets = { redact: (text: string) => text, redactValue: (value: unknown) => value };
 * apiErrorFromBody(400, '{"type":"param-missing","message":"Missing"}', secrets, 'POST', '/admin/subscribe-query').type // 'param-missing'
 */
export function apiErrorFromBody(
  status: number,
  text: string,
  secrets: Pick<Secrets, 'redact' | 'redactValue'>,
  method: string,
  path: string,
): InstantAPIError {
  let json: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      json = parsed as Record<string, unknown>;
  } catch {}
  return new InstantAPIError({
    status,
    type: typeof json?.type === 'string' ? json.type : json ? 'unknown' : 'non-json-response',
    message: secrets.redact(
      typeof json?.message === 'string' ? json.message : `body: ${text.replace(/\s+/g, ' ').slice(0, 200)}`,
    ),
    hint: secrets.redactValue(json?.hint ?? null),
    traceId: typeof json?.['trace-id'] === 'string' ? json['trace-id'] : undefined,
    body: secrets.redactValue(json ?? text),
    method,
    path,
  });
}

/**
 * Instant's `page-info` (kebab keys) in the official SDK's camel-case shape; labels become own keys
 * (`Object.fromEntries`), so a label such as `__proto__` cannot reach a prototype.
 *
 * @example
 * formatPageInfo({ goals: { 'has-next-page?': true } }) // { goals: { startCursor: undefined, endCursor: undefined, hasNextPage: true, hasPreviousPage: false } }
 */
export function formatPageInfo(pageInfo: unknown): Readonly<Record<string, PageInfo>> | undefined {
  if (typeof pageInfo !== 'object' || pageInfo === null) return undefined;
  return Object.fromEntries(
    Object.entries(pageInfo as Record<string, Record<string, unknown> | null>).map(([label, info]) => [
      label,
      {
        startCursor: info?.['start-cursor'],
        endCursor: info?.['end-cursor'],
        hasNextPage: info?.['has-next-page?'] === true,
        hasPreviousPage: info?.['has-previous-page?'] === true,
      },
    ]),
  );
}
