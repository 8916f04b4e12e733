import type { Handler } from '../routes/context.ts';
import { queryRoute, transactRoute } from '../routes/data-routes.ts';
import { queryPermsCheckRoute, transactPermsCheckRoute } from '../routes/perms-check-routes.ts';
import {
  createTokenRoute,
  deleteUserRoute,
  getUserRoute,
  signOutRoute,
  verifyTokenRoute,
} from '../routes/user-routes.ts';

/** Every route the local server answers, keyed by `METHOD path`. */
export const ROUTES: ReadonlyMap<string, Handler> = new Map([
  ['POST /admin/query', queryRoute],
  ['POST /admin/transact', transactRoute],
  ['POST /admin/query_perms_check', queryPermsCheckRoute],
  ['POST /admin/transact_perms_check', transactPermsCheckRoute],
  ['POST /admin/refresh_tokens', createTokenRoute],
  ['POST /runtime/auth/verify_refresh_token', verifyTokenRoute],
  ['GET /admin/users', getUserRoute],
  ['DELETE /admin/users', deleteUserRoute],
  ['POST /admin/sign_out', signOutRoute],
]);
