/** The closed set of error codes any REST response or socket ack can carry. */
export const ERROR_CODES = [
  'ROOM_NOT_FOUND',
  'ROOM_LIMIT_REACHED',
  'ROOM_FULL',
  'NICK_TAKEN',
  'NICK_INVALID',
  'MESSAGE_EMPTY',
  'MESSAGE_INVALID',
  'MESSAGE_TOO_LONG',
  'TOKEN_INVALID',
  'RATE_LIMITED',
  'VALIDATION_ERROR',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'ORIGIN_NOT_ALLOWED',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'STORE_UNAVAILABLE',
  'SHUTTING_DOWN',
  'INTERNAL',
  'AUTH_REQUIRED',
  'NOT_ROOM_OWNER',
  'CSRF_REJECTED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The error part of a failed ack. `retryAfterMs` is set when waiting helps (RATE_LIMITED, ROOM_LIMIT_REACHED,
 * SHUTTING_DOWN: there, retry once reconnected to an instance that is not shutting down).
 */
export interface AckError {
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
}
