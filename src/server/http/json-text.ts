import type { ApiRequest } from '../api/api-request.ts';
import type { DataFootprint } from '../store/data-footprint.ts';

/**
 * A JSON answer already serialized (by a read worker, off the main thread): sent as it is.
 *
 * @example
 * const answer = new JsonText('{"goals":[]}');
 */
export class JsonText {
  readonly text: string;
  /** What the query read, when it was asked for (a live query's re-run). */
  readonly reads: DataFootprint | undefined;

  constructor(text: string, reads?: DataFootprint) {
    this.text = text;
    this.reads = reads;
  }
}

/**
 * Runs an `offMainThread` route's request elsewhere (on a read worker) and answers with its JSON body,
 * or rejects with the `ApiError` the route threw there; undefined when it cannot (the workers are still
 * starting): the request then runs on the main thread.
 */
export type OffloadRead = (request: ApiRequest) => Promise<JsonText> | undefined;
