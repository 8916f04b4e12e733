/**
 * An error the server answers with, in Instant's body shape `{type, message, hint}`. Thrown anywhere in
 * request handling; the request's SQLite transaction is rolled back before it is sent.
 *
 * @example
 * throw new ApiError(400, 'param-missing', 'Missing parameter: ["body" "steps"]', { in: ['body', 'steps'] });
 */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly type: string;
  readonly hint: unknown;

  constructor(status: number, type: string, message: string, hint: unknown = null) {
    super(message);
    this.status = status;
    this.type = type;
    this.hint = hint;
  }

  /** The JSON body Instant sends for this error. */
  body(): { type: string; message: string; hint: unknown } {
    return { type: this.type, message: this.message, hint: this.hint };
  }
}

/**
 * A `validation-failed` error: `message` is "Validation failed for <dataType>: <messages>", and the
 * hint carries `{data-type, input, errors}` as Instant's does.
 *
 * @example
 * validationFailed('tx-step', [], ['Creating entities that exist: …']).message
 * // 'Validation failed for tx-step: Creating entities that exist: …'
 */
export function validationFailed(
  dataType: string,
  input: unknown,
  messages: readonly string[],
  extra: readonly object[] = [],
): ApiError {
  const errors = messages.map((message, index) => ({ message, ...(extra[index] ?? {}) }));
  const suffix = messages.length > 0 ? `: ${messages.join(', ')}` : '';
  return new ApiError(400, 'validation-failed', `Validation failed for ${dataType}${suffix}`, {
    'data-type': dataType,
    input,
    errors,
  });
}

/**
 * Instant's `param-missing` error for a location such as `["body", "query"]`.
 *
 * @example
 * throw paramMissing(['headers', 'app-id'], { 'possible-ins': [['query-params', 'app_id']] });
 */
export function paramMissing(location: readonly string[], extra: object = {}): ApiError {
  return new ApiError(
    400,
    'param-missing',
    `Missing parameter: [${location.map((part) => JSON.stringify(part)).join(' ')}]`,
    { in: location, ...extra },
  );
}

/**
 * Instant's `param-malformed` error. `original` is echoed as Instant does, except for secrets: callers
 * pass `undefined` for tokens so they are never sent back.
 *
 * @example
 * paramMalformed(['headers', 'app-id'], 'not-a-uuid').body()
 * // { type: 'param-malformed', message: 'Malformed parameter: ["headers" "app-id"]', hint: { in: [...], 'original-input': 'not-a-uuid' } }
 */
export function paramMalformed(location: readonly string[], original: unknown, extra: object = {}): ApiError {
  const hint =
    original === undefined ? { in: location, ...extra } : { in: location, ...extra, 'original-input': original };
  return new ApiError(
    400,
    'param-malformed',
    `Malformed parameter: [${location.map((part) => JSON.stringify(part)).join(' ')}]`,
    hint,
  );
}
