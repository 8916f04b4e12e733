import type { AppCredentials } from '../auth/authenticate.ts';
import type { ApiRequest } from '../http/request.ts';
import type { Storage } from '../transact/run-transaction.ts';
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
