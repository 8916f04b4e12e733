import type { ApiRequest } from '../api/api-request.ts';

/**
 * A JSON answer already serialized (by a read worker, off the main thread): sent as it is.
 *
 * @example
 * const answer = new JsonText('{"goals":[]}');
 */
export class JsonText {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}

/**
 * Runs an `offMainThread` route's request elsewhere (on a read worker) and answers with its JSON body,
 * or rejects with the `ApiError` the route threw there.
 */
export type OffloadRead = (request: ApiRequest) => Promise<JsonText>;
