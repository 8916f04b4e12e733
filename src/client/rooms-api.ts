import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue } from '../errors/validation-issue.ts';
import type { User } from './auth-api.ts';
import { expectObject } from './expect-shape.ts';
import type { CallOptions, HttpClient } from './http-client.ts';

/** One peer in a room, by peer id, as `getPresence` returns them. */
export interface PresencePeer<Data = Record<string, unknown>> {
  readonly data: Data;
  readonly 'peer-id': string;
  /** The signed-in user of the peer's session, or null for an anonymous one. */
  readonly user: User | null;
}

/**
 * `db.rooms`: who is in a realtime room. Needs the admin token (impersonation does not apply, as in
 * the official SDK).
 *
 * @example
 * const peers = await db.rooms.getPresence('chat', 'room-1'); // {} when nobody is there
 */
export class RoomsApi {
  readonly #http: HttpClient;
  readonly #headers: () => Record<string, string>;

  constructor(http: HttpClient, headers: () => Record<string, string>) {
    this.#http = http;
    this.#headers = headers;
  }

  /**
   * The peers in a room, by peer id (`GET /admin/rooms/presence`); `{}` when the room is empty.
   *
   * @example
   * for (const [peerId, peer] of Object.entries(await db.rooms.getPresence('chat', 'room-1'))) console.log(peerId, peer.data);
   */
  async getPresence<Data = Record<string, unknown>>(
    roomType: string,
    roomId: string,
    options: CallOptions = {},
  ): Promise<Record<string, PresencePeer<Data>>> {
    const issues = [
      ...(typeof roomType === 'string' ? [] : [createIssue('invalid-argument', 'roomType', 'expected a string')]),
      ...(typeof roomId === 'string' ? [] : [createIssue('invalid-argument', 'roomId', 'expected a string')]),
    ];
    if (issues.length > 0) throw new InstantValidationError(issues, 'getPresence arguments');
    const body = await this.#http.send({
      method: 'get',
      path: 'admin/rooms/presence',
      kind: 'read',
      // The official SDK sends a JSON content type on this GET too; so do we, to match the wire.
      headers: { 'content-type': 'application/json', ...this.#headers() },
      searchParams: { 'room-type': roomType, 'room-id': roomId },
      ...options,
    });
    const sessions = expectObject(body, 'GET /admin/rooms/presence').sessions;
    return (sessions ?? {}) as Record<string, PresencePeer<Data>>;
  }
}
