import { paramMalformed, paramMissing } from '../api/api-error.ts';
import type { ApiRequest } from '../api/api-request.ts';
import { requireAdmin } from '../auth/authenticate.ts';
import type { Handler } from './context.ts';

/** A query parameter Instant reads with `coerce-non-blank-str`: missing → `param-missing`, blank → `param-malformed`. */
function nonBlankParam(req: ApiRequest, name: string): string {
  const value = req.query.get(name);
  if (value === null) throw paramMissing(['params', name]);
  if (value.trim() === '') throw paramMalformed(['params', name], value);
  return value.trim();
}

/**
 * `GET /admin/rooms/presence?room-type=&room-id=` → `{sessions}`. Instant answers with the peers in
 * the room (by peer id: `{data, peer-id, user}`); the local server has no realtime sessions, so every
 * room is empty, which Instant answers as `{"sessions": null}` (the SDK's `getPresence` gives `{}`).
 * Both parameters are required and checked as Instant checks them.
 */
export const presenceRoute: Handler = (req, ctx) => {
  requireAdmin(req, ctx.app);
  nonBlankParam(req, 'room-type');
  nonBlankParam(req, 'room-id');
  return { sessions: null };
};
