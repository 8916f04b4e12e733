import type { AppCredentials } from '../auth/authenticate.ts';
import type { ApiRequest } from '../api/api-request.ts';
import type { Storage } from '../store/storage.ts';
import type { UserStore } from '../users/user-store.ts';
import type { Permissions } from '../permissions/permissions.ts';

/** Everything a route handler needs besides the request. */
export interface ServerContext {
  readonly app: AppCredentials;
  readonly storage: Storage;
  readonly users: UserStore;
  readonly permissions: Permissions;
}

/** A route: answers with a JSON body (status 200) or throws an ApiError. */
export type Handler = (req: ApiRequest, ctx: ServerContext) => unknown;

/**
 * A route and whether it writes: the HTTP layer runs every `write` route inside one `Storage.write`
 * (all of the request's changes commit, or none do), and `read` routes outside any transaction.
 */
export interface Route {
  readonly handler: Handler;
  readonly access: 'read' | 'write';
}
