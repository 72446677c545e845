/** Maps any thrown value to the wire: an ack error or an HTTP status with a code. */
import type { AckError, ErrorCode, ErrorResponse } from '@tiny-chat/shared-types';
import { DomainError } from './domain-errors';

const HTTP_STATUS: Record<ErrorCode, number> = {
  ROOM_NOT_FOUND: 404,
  ROOM_LIMIT_REACHED: 429,
  ROOM_FULL: 409,
  NICK_TAKEN: 409,
  NICK_INVALID: 400,
  MESSAGE_EMPTY: 400,
  MESSAGE_INVALID: 400,
  MESSAGE_TOO_LONG: 400,
  TOKEN_INVALID: 401,
  RATE_LIMITED: 429,
  VALIDATION_ERROR: 400,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  ORIGIN_NOT_ALLOWED: 403,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  STORE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  INTERNAL: 500,
  AUTH_REQUIRED: 401,
  NOT_ROOM_OWNER: 403,
  CSRF_REJECTED: 403,
};

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** The code for a status Nest or body-parser answered with (no DomainError behind it). */
const CODE_FOR_HTTP_STATUS: Partial<Record<number, ErrorCode>> = {
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/**
 * Nest's own 404 (no such route) and body-parser's 413/415 get their codes; any other 4xx is a request the server
 * could not take as sent (VALIDATION_ERROR, answered 400 like every VALIDATION_ERROR); 5xx is INTERNAL.
 */
export function codeForHttpStatus(status: number): ErrorCode {
  if (status >= 500) return 'INTERNAL';
  return CODE_FOR_HTTP_STATUS[status] ?? 'VALIDATION_ERROR';
}

/** The REST body of a domain error; its status is always the code's. */
export function errorResponseOf(error: DomainError): ErrorResponse {
  return { statusCode: httpStatusOf(error.code), code: error.code, message: error.message };
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
