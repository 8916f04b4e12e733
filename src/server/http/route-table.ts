import type { Route } from '../routes/context.ts';
import { queryRoute, transactRoute } from '../routes/data-routes.ts';
import { queryPermsCheckRoute, transactPermsCheckRoute } from '../routes/perms-check-routes.ts';
import { schemaRoute, softDeletedAttrsRoute } from '../routes/schema-routes.ts';
import {
  createTokenRoute,
  deleteUserRoute,
  getUserRoute,
  signOutRoute,
  verifyTokenRoute,
} from '../routes/user-routes.ts';

/** Every route the local server answers, keyed by `METHOD path`. */
export const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['POST /admin/query', { handler: queryRoute, access: 'read' }],
  ['POST /admin/transact', { handler: transactRoute, access: 'write' }],
  ['POST /admin/query_perms_check', { handler: queryPermsCheckRoute, access: 'read' }],
  ['POST /admin/transact_perms_check', { handler: transactPermsCheckRoute, access: 'write' }],
  ['POST /admin/refresh_tokens', { handler: createTokenRoute, access: 'write' }],
  ['POST /runtime/auth/verify_refresh_token', { handler: verifyTokenRoute, access: 'read' }],
  ['GET /admin/users', { handler: getUserRoute, access: 'read' }],
  ['DELETE /admin/users', { handler: deleteUserRoute, access: 'write' }],
  ['POST /admin/sign_out', { handler: signOutRoute, access: 'write' }],
  ['GET /admin/schema', { handler: schemaRoute, access: 'read' }],
  ['GET /admin/soft_deleted_attrs', { handler: softDeletedAttrsRoute, access: 'read' }],
]);
