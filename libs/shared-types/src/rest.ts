import type { ErrorCode } from './error-codes';
import type { RoomDetails, RoomSummary } from './room';

/** REST routes, all under /api. */
export const API_PREFIX = 'api';

/** POST /api/rooms -> 201 */
export interface CreateRoomResponse extends RoomSummary {
  /**
   * The room's owner key: 256 random bits, base64url, shown once (the server keeps only its hash). `DELETE
   * /api/rooms/:roomId` with `Authorization: Bearer <ownerKey>` closes the room.
   */
  ownerKey: string;
}
/** GET /api/rooms/:roomId -> 200 */
export type GetRoomResponse = RoomDetails;
/** GET /api/health -> 200 */
export interface HealthResponse {
  status: 'ok';
  /** The room store this instance uses and whether it answers now. */
  store: { type: 'memory' | 'redis'; available: boolean };
  /** Random per process start: a client that sees it change knows the server restarted meanwhile. */
  bootId: string;
}
/** GET /api/auth/me -> 200 */
export interface AuthMeResponse {
  authMode: 'none' | 'oidc';
  /** The signed-in user (`id` is `<issuer>#<sub>`), or null when signed out (always with authMode none). */
  user: { id: string; name: string } | null;
  /** Live rooms a signed-in user may own at once; null with authMode none. */
  maxRoomsPerUser: number | null;
}

/** One of the signed-in user's live rooms. */
export interface OwnedRoom extends RoomSummary {
  memberCount: number;
}

/** GET /api/me/rooms -> 200 */
export interface MyRoomsResponse {
  rooms: OwnedRoom[];
}

/** The session cookie set by GET /api/auth/callback (httpOnly, SameSite=Lax, path /). */
export const SESSION_COOKIE = 'tc_session';

/** Every non-2xx REST body. */
export interface ErrorResponse {
  statusCode: number;
  code: ErrorCode;
  message: string;
}
