import { resolveCaller } from '../auth/authenticate.ts';
import { paramMissing } from '../api/api-error.ts';
import { runQuery } from '../query/run-query.ts';
import { runTransaction } from '../transact/run-transaction.ts';
import { callerLabel } from '../permissions/caller.ts';
import type { Handler } from './context.ts';
import { readQueryRequest } from './query-request.ts';
import { Permissions } from '../permissions/permissions.ts';
import { assertSystemWritesAllowed } from '../permissions/system-protections.ts';

/**
 * `POST /admin/query` `{query, inference?}` → the object tree. The query is parsed into a plan first
 * (every validation error before any row is read), then run. Impersonated requests see only what their
 * view and field rules allow (rows, entities a `where` path or child node reaches, fields), and may not
 * aggregate; `$$ruleParams` inside the query feeds those rules.
 */
export const queryRoute: Handler = (req, ctx) => {
  const { query, options } = readQueryRequest(req, ctx);
  return runQuery(ctx.storage.registry, ctx.storage.store, query, { ...options, numberText: req.numberText });
};

/**
 * `POST /admin/transact` `{steps, throw-on-missing-attrs?}` → `{tx-id}`. Impersonated writes are
 * checked against the rules inside the transaction; a denial rolls everything back. Even the admin may
 * not change the system columns only Instant sets (`$files` ones but `path`, as `assertSystemWritesAllowed`).
 */
export const transactRoute: Handler = (req, ctx) => {
  const steps = req.body.steps;
  if (steps === undefined) throw paramMissing(['body', 'steps']);
  const caller = resolveCaller(req, ctx.app, ctx.users);
  const throwOnMissingAttrs = req.body['throw-on-missing-attrs?'] === true;
  const txId = runTransaction(ctx.storage, steps, {
    throwOnMissingAttrs,
    by: callerLabel(caller),
    ...(caller.kind === 'admin'
      ? { checkOps: (ops) => assertSystemWritesAllowed(ops, true) }
      : {
          beforeCommit: (changes, ruleParams) =>
            Permissions.assertAllowed(ctx.permissions.checkChanges(caller, changes, ruleParams)),
        }),
  });
  return { 'tx-id': txId };
};
