import type { ApiRequest } from '../api/api-request.ts';
import { subscribeQueryRoute } from '../routes/subscribe-route.ts';
import type { ServerContext } from '../routes/context.ts';
import type { ReadPool } from '../workers/read-pool.ts';
import type { RunTracked, TrackedAnswer } from './subscription.ts';

/**
 * How live queries run: the `subscribe-query` route's `live` handler (`{result, result-meta}`), on a read
 * worker once one is ready (off the main thread, in one read snapshot taken after the commit that
 * prompted it), else here, within the time budget. Either way the answer comes with what it read.
 */
export function trackedRunner(pool: ReadPool, ctx: ServerContext): RunTracked {
  return async (request) => {
    if (pool.ready) {
      const answer = await pool.run(request, { trackReads: true });
      return { text: answer.text, reads: answer.reads };
    }
    return runHere(request, ctx);
  };
}

function runHere(request: ApiRequest, ctx: ServerContext): TrackedAnswer {
  const { storage } = ctx;
  storage.store.trackReads();
  try {
    const text = JSON.stringify(storage.budget.run(ctx.timeoutMs, () => subscribeQueryRoute.live(request, ctx)));
    return { text, reads: storage.store.takeReads() };
  } finally {
    storage.store.takeReads();
  }
}
