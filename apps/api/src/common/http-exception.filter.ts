/** Every non-2xx REST body is { statusCode, code, message }; nothing internal leaks. */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ErrorCode, ErrorResponse } from '@tiny-chat/shared-types';
import type { Response } from 'express';
import { DomainError } from './domain-errors';
import { codeForHttpStatus, errorResponseOf, httpStatusOf } from './error-mapping';

/** What a status from Nest or body-parser says, by the code it maps to. */
const MESSAGE_FOR_CODE: Partial<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: 'Malformed request',
  NOT_FOUND: 'No such route',
  UNAUTHORIZED: 'Missing or wrong credentials',
  PAYLOAD_TOO_LARGE: 'Request body too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported content type',
  RATE_LIMITED: 'Too many requests; slow down',
};

/** Body-parser and other http-errors carry a 4xx `status` that is safe to expose. */
function clientErrorStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const status = (exception as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let body: ErrorResponse;
    if (exception instanceof DomainError) {
      body = errorResponseOf(exception);
      if (exception.retryAfterMs !== undefined) {
        response.setHeader('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterMs / 1000))));
      }
    } else if (exception instanceof HttpException || clientErrorStatus(exception) !== undefined) {
      const status = exception instanceof HttpException ? exception.getStatus() : (clientErrorStatus(exception) ?? 400);
      const code = codeForHttpStatus(status);
      body = { statusCode: httpStatusOf(code), code, message: MESSAGE_FOR_CODE[code] ?? 'Internal error' };
    } else {
      // Named here: logs carry no request context of their own (see LoggingModule).
      const reqId = host.switchToHttp().getRequest<{ id?: unknown }>().id;
      this.logger.error({ msg: exception instanceof Error ? exception.stack : String(exception), reqId });
      body = { statusCode: 500, code: 'INTERNAL', message: 'Internal error' };
    }
    response.status(body.statusCode).json(body);
  }
}
