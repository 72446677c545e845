/** Every non-2xx REST body is { statusCode, code, message }; nothing internal leaks. */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ErrorCode, ErrorResponse } from '@tiny-chat/shared-types';
import type { Response } from 'express';
import { DomainError } from './domain-errors';
import { httpStatusOf } from './error-mapping';

function codeForHttpStatus(status: number): ErrorCode {
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'INTERNAL';
  return 'VALIDATION_ERROR';
}

const MESSAGE_FOR_HTTP_STATUS: Record<number, string> = {
  400: 'Malformed request',
  404: 'No such route',
  413: 'Request body too large',
  415: 'Unsupported content type',
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
      body = { statusCode: httpStatusOf(exception.code), code: exception.code, message: exception.message };
      if (exception.retryAfterMs !== undefined) {
        response.setHeader('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterMs / 1000))));
      }
    } else if (exception instanceof HttpException || clientErrorStatus(exception) !== undefined) {
      const status = exception instanceof HttpException ? exception.getStatus() : (clientErrorStatus(exception) ?? 400);
      body = {
        statusCode: status,
        code: codeForHttpStatus(status),
        message: MESSAGE_FOR_HTTP_STATUS[status] ?? (status >= 500 ? 'Internal error' : 'Bad request'),
      };
    } else {
      // Named here: logs carry no request context of their own (see LoggingModule).
      const reqId = host.switchToHttp().getRequest<{ id?: unknown }>().id;
      this.logger.error({ msg: exception instanceof Error ? exception.stack : String(exception), reqId });
      body = { statusCode: 500, code: 'INTERNAL', message: 'Internal error' };
    }
    response.status(body.statusCode).json(body);
  }
}
