import type { ErrorCode } from './error-codes';
import type { RoomDetails, RoomSummary } from './room';

/** REST routes, all under /api. */
export const API_PREFIX = 'api';

/** POST /api/rooms -> 201 */
export type CreateRoomResponse = RoomSummary;
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
/** Every non-2xx REST body. */
export interface ErrorResponse {
  statusCode: number;
  code: ErrorCode;
  message: string;
}
