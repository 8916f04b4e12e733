import { executeQuery, type PageEdges } from '../query/execute-query.ts';
import { pageInfoOf } from '../query/page-info.ts';
import { parseQuery } from '../query/parse-query.ts';
import type { Handler } from './context.ts';
import { readQueryRequest } from './query-request.ts';

/**
 * One run of a live query (`subscribe-query`): what `POST /admin/query` answers for the same body and
 * headers (so under the subscriber's permissions), as `{result, result-meta}` with Instant's page info
 * for the top-level nodes that page or order (`aggregate` stays empty: counts are not computed here).
 * The keys come in that order, which the event builders rely on to splice the text.
 */
export const liveQueryHandler: Handler = (req, ctx) => {
  const { query, options } = readQueryRequest(req, ctx);
  const { registry, store } = ctx.storage;
  const plan = parseQuery(registry, query, {
    admin: options.policy === undefined,
    ...(req.numberText ? { numberText: req.numberText } : {}),
  });
  // The run reads a plain limit (or last) page with one row to spare: has-next (-previous) is then known.
  const edges = new Map<string, PageEdges>();
  const result = executeQuery(plan, registry, store, options, edges);
  const pageInfo = pageInfoOf(plan, query, registry, store, options, result, edges);
  return { result, 'result-meta': { 'page-info': pageInfo, aggregate: {} } };
};
