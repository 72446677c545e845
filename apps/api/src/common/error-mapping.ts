/** Maps any thrown value to the wire: an ack error or an HTTP status with a code. */
import type { AckError, ErrorCode } from '@tiny-chat/shared-types';
import { DomainError } from './domain-errors';

const HTTP_STATUS: Record<ErrorCode, number> = {
  ROOM_NOT_FOUND: 404,
  ROOM_LIMIT_REACHED: 429,
  ROOM_FULL: 409,
  NICK_TAKEN: 409,
  NICK_INVALID: 400,
  MESSAGE_EMPTY: 400,
  MESSAGE_TOO_LONG: 400,
  TOKEN_INVALID: 401,
  RATE_LIMITED: 429,
  VALIDATION_ERROR: 400,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** Never leaks internals: anything that is not a DomainError becomes INTERNAL. */
export function toAckError(error: unknown): AckError {
  if (error instanceof DomainError) {
    return error.retryAfterMs === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, retryAfterMs: error.retryAfterMs };
  }
  return { code: 'INTERNAL', message: 'Internal error' };
}
