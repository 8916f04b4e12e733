import type { AnyRoute } from '../routes/context.ts';
import { queryRoute, transactRoute } from '../routes/data-routes.ts';
import { queryPermsCheckRoute, transactPermsCheckRoute } from '../routes/perms-check-routes.ts';
import { schemaRoute, softDeletedAttrsRoute } from '../routes/schema-routes.ts';
import { sendMagicCodeRoute, signInGuestRoute, verifyMagicCodeRoute } from '../routes/auth-routes.ts';
import { presenceRoute } from '../routes/presence-routes.ts';
import { subscribeQueryRoute } from '../routes/subscribe-route.ts';
import {
  DOWNLOAD_PREFIX,
  deleteFileRoute,
  deleteFilesRoute,
  downloadRoute,
  uploadRoute,
} from '../routes/storage-routes.ts';
import {
  createTokenRoute,
  deleteUserRoute,
  getUserRoute,
  magicCodeRoute,
  signOutRoute,
  verifyTokenRoute,
} from '../routes/user-routes.ts';

/** Every route the local server answers at a fixed path, keyed by `METHOD path`. */
export const ROUTES: ReadonlyMap<string, AnyRoute> = new Map<string, AnyRoute>([
  ['POST /admin/query', { handler: queryRoute, access: 'read', offMainThread: true }],
  ['POST /admin/transact', { handler: transactRoute, access: 'write' }],
  ['POST /admin/query_perms_check', { handler: queryPermsCheckRoute, access: 'read', offMainThread: true }],
  ['POST /admin/transact_perms_check', { handler: transactPermsCheckRoute, access: 'write' }],
  ['POST /admin/refresh_tokens', { handler: createTokenRoute, access: 'write' }],
  ['POST /runtime/auth/verify_refresh_token', { handler: verifyTokenRoute, access: 'read' }],
  ['GET /admin/users', { handler: getUserRoute, access: 'read' }],
  ['DELETE /admin/users', { handler: deleteUserRoute, access: 'write' }],
  ['POST /admin/sign_out', { handler: signOutRoute, access: 'write' }],
  ['GET /admin/schema', { handler: schemaRoute, access: 'read' }],
  ['GET /admin/soft_deleted_attrs', { handler: softDeletedAttrsRoute, access: 'read' }],
  ['POST /admin/magic_code', { handler: magicCodeRoute, access: 'write' }],
  ['POST /admin/send_magic_code', { handler: sendMagicCodeRoute, access: 'write' }],
  ['POST /admin/verify_magic_code', { handler: verifyMagicCodeRoute, access: 'write' }],
  ['POST /admin/sign_in_guest', { handler: signInGuestRoute, access: 'write' }],
  ['GET /admin/rooms/presence', { handler: presenceRoute, access: 'read' }],
  ['PUT /admin/storage/upload', uploadRoute],
  ['DELETE /admin/storage/files', { handler: deleteFileRoute, access: 'write' }],
  ['POST /admin/storage/files/delete', { handler: deleteFilesRoute, access: 'write' }],
  ['POST /admin/subscribe-query', subscribeQueryRoute],
]);

/** The route for a request: a fixed path, else a file download under `/storage/`. */
export function findRoute(method: string | undefined, pathname: string): AnyRoute | undefined {
  const fixed = ROUTES.get(`${method} ${pathname}`);
  if (fixed) return fixed;
  return method === 'GET' && pathname.startsWith(DOWNLOAD_PREFIX) ? downloadRoute : undefined;
}
