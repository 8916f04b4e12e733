import { isPlainObject } from '../../protocol/json.ts';
import { paramMalformed, paramMissing } from '../api/api-error.ts';
import type { ApiRequest } from '../api/api-request.ts';
import { resolveCaller } from '../auth/authenticate.ts';
import { readPolicy } from '../permissions/read-policy.ts';
import type { QueryOptions } from '../query/execute-query.ts';
import type { ServerContext } from './context.ts';

/** A query request read and checked: the InstaQL object and how to run it for this caller. */
export interface QueryRequest {
  readonly query: Record<string, unknown>;
  readonly options: QueryOptions;
}

/**
 * The `{query, inference?}` body of `POST /admin/query` and `subscribe-query` runs: the query must be an
 * object (Instant's param errors otherwise); impersonated callers get the read policy of their view and
 * field rules, fed by `$$ruleParams` inside the query; `$files` rows get their url from this server.
 */
export function readQueryRequest(req: ApiRequest, ctx: ServerContext): QueryRequest {
  const query = req.body.query;
  if (query === undefined) throw paramMissing(['body', 'query']);
  if (!isPlainObject(query)) throw paramMalformed(['body', 'query'], query);
  const caller = resolveCaller(req, ctx.app, ctx.users);
  const ruleParams = isPlainObject(query.$$ruleParams) ? query.$$ruleParams : {};
  return {
    query,
    options: {
      inference: req.body['inference?'] === true,
      fileUrl: (locationId) => ctx.files.url(locationId),
      ...(caller.kind === 'admin' ? {} : { policy: readPolicy(ctx.permissions, caller, ruleParams) }),
    },
  };
}
