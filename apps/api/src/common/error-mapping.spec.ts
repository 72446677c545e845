import { ERROR_CODES } from '@tiny-chat/shared-types';
import {
  OriginNotAllowedError,
  PayloadTooLargeError,
  RouteNotFoundError,
  ShuttingDownError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from './domain-errors';
import { codeForHttpStatus, errorResponseOf, httpStatusOf, toAckError } from './error-mapping';

describe('error mapping', () => {
  it.each([
    [new RouteNotFoundError(), 404, 'NOT_FOUND'],
    [new UnauthorizedError('no token'), 401, 'UNAUTHORIZED'],
    [new OriginNotAllowedError(), 403, 'ORIGIN_NOT_ALLOWED'],
    [new UnsupportedMediaTypeError(), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [new PayloadTooLargeError(), 413, 'PAYLOAD_TOO_LARGE'],
    [new ShuttingDownError(), 503, 'SHUTTING_DOWN'],
  ] as const)('answers %p over REST with %i %s', (error, status, code) => {
    expect(errorResponseOf(error)).toEqual({ statusCode: status, code, message: error.message });
  });

  it('tells a SHUTTING_DOWN ack to retry after a second', () => {
    expect(toAckError(new ShuttingDownError())).toEqual({
      code: 'SHUTTING_DOWN',
      message: 'This server is shutting down; try again shortly',
      retryAfterMs: 1000,
    });
  });

  it.each([
    [401, 'UNAUTHORIZED'],
    [404, 'NOT_FOUND'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [415, 'UNSUPPORTED_MEDIA_TYPE'],
    [429, 'RATE_LIMITED'],
    [400, 'VALIDATION_ERROR'],
    [500, 'INTERNAL'],
  ] as const)('maps a bare %i from Nest or body-parser to %s, whose status it is', (status, code) => {
    expect(codeForHttpStatus(status)).toBe(code);
    expect(httpStatusOf(code)).toBe(status);
  });

  it('keeps VALIDATION_ERROR for 400 alone: any other 4xx without a code of its own is answered 400', () => {
    expect(codeForHttpStatus(405)).toBe('VALIDATION_ERROR');
    expect(httpStatusOf('VALIDATION_ERROR')).toBe(400);
    expect(codeForHttpStatus(503)).toBe('INTERNAL');
  });

  it('has an HTTP status for every code', () => {
    for (const code of ERROR_CODES) expect(httpStatusOf(code)).toBeGreaterThanOrEqual(400);
  });
});
