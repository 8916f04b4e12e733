import { InstantAPIError } from '../errors/instant-api-error.ts';
import type { Secrets } from './secrets.ts';

/** What an error answer says besides its body: its status line and trace-id header, when it had them. */
export interface ErrorAnswer {
  readonly status: number;
  readonly text: string;
  readonly statusText?: string;
  /** The `x-trace-id` header, used when the body names no trace id. */
  readonly traceIdHeader?: string | null;
}

/**
 * An Instant error body (an HTTP error answer, or an `error` event's JSON on a stream) as an
 * {@link InstantAPIError} with every known secret redacted; a body that is not JSON becomes
 * `non-json-response`, JSON without a `type` `unknown`. The one place both kinds of answers are read.
 *
 * @example
 * const secrets = { redact: (text: string) => text, redactValue: (value: unknown) => value };
 * apiErrorFromBody({ status: 400, text: '{"type":"param-missing","message":"Missing"}' }, secrets, 'POST', '/admin/subscribe-query').type // 'param-missing'
 */
export function apiErrorFromBody(
  answer: ErrorAnswer,
  secrets: Pick<Secrets, 'redact' | 'redactValue'>,
  method: string,
  path: string,
): InstantAPIError {
  const { status, text } = answer;
  let json: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
  } catch {}
  const snippet = text.replace(/\s+/g, ' ').slice(0, 200);
  const traceId = json?.['trace-id'] ?? json?.traceId ?? answer.traceIdHeader ?? undefined;
  return new InstantAPIError({
    status,
    type: typeof json?.type === 'string' ? json.type : json ? 'unknown' : 'non-json-response',
    message: secrets.redact(
      typeof json?.message === 'string'
        ? json.message
        : answer.statusText
          ? `${answer.statusText}; body: ${snippet}`
          : `body: ${snippet}`,
    ),
    hint: secrets.redactValue(json?.hint ?? null),
    traceId: typeof traceId === 'string' ? traceId : undefined,
    body: secrets.redactValue(json ?? text),
    method,
    path,
  });
}
