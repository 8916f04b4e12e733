import { isPlainObject } from '../../protocol/json.ts';
import { ApiError, paramMalformed, paramMissing } from '../api/api-error.ts';
import { resolveCaller } from '../auth/authenticate.ts';
import type { SseRoute } from './context.ts';
import { liveQueryHandler } from './live-query-handler.ts';

/**
 * `POST /admin/subscribe-query` `{query, inference?, versions?}`: checked as Instant checks it before its
 * stream opens (a `query` object, then who the caller is: both answered 400 as JSON), then handed to
 * the live queries, which answer with Server-Sent Events. Problems inside the query itself come later,
 * as an `error` event on the open stream, as Instant sends them. Each run of the query is `live`.
 */
export const subscribeQueryRoute: SseRoute = {
  sse: (req, res, ctx) => {
    const query = req.body.query;
    if (query === undefined) throw paramMissing(['body', 'query']);
    if (!isPlainObject(query)) throw paramMalformed(['body', 'query'], query);
    resolveCaller(req, ctx.app, ctx.users);
    if (!ctx.live) throw new ApiError(503, 'unavailable', 'Live queries are not served here.', null);
    ctx.live.open(req, res);
  },
  live: liveQueryHandler,
};
