import type { ApiRequest } from '../api/api-request.ts';
import { queryRoute } from '../routes/data-routes.ts';
import type { ServerContext } from '../routes/context.ts';
import type { ReadPool } from '../workers/read-pool.ts';
import type { RunTracked, TrackedAnswer } from './subscription.ts';

/**
 * How live queries run: as `POST /admin/query` on a read worker once one is ready (off the main thread,
 * in one read snapshot taken after the commit that prompted it), else here, within the time budget.
 * Either way the answer comes with what the query read.
 */
export function trackedRunner(pool: ReadPool, ctx: ServerContext): RunTracked {
  return async (request) => {
    const query = { ...request, path: '/admin/query' };
    if (pool.ready) {
      const answer = await pool.run(query, { trackReads: true });
      return { text: answer.text, reads: answer.reads };
    }
    return runHere(query, ctx);
  };
}

function runHere(request: ApiRequest, ctx: ServerContext): TrackedAnswer {
  const { storage } = ctx;
  storage.store.trackReads();
  try {
    const text = JSON.stringify(storage.budget.run(ctx.timeoutMs, () => queryRoute(request, ctx)));
    return { text, reads: storage.store.takeReads() };
  } finally {
    storage.store.takeReads();
  }
}
