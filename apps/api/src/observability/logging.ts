/** The pino settings: JSON lines at LOG_LEVEL with a request id, secrets and message text redacted, pretty in a terminal. */
import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Params } from 'nestjs-pino';
import { API_PREFIX } from '@tiny-chat/shared-types';
import type { AppConfig } from '../config/app-config';

/** Never logged: credentials, user tokens, message text (at the top level and two levels down). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'userToken',
  '*.userToken',
  '*.*.userToken',
  'text',
  '*.text',
  '*.*.text',
];

/**
 * The OIDC callback's query carries a one-time authorization code and the login `state`: logged lines keep the path
 * only. (The code is useless without the PKCE verifier kept server-side, but logs are no place for it.)
 */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query === -1 || !url.startsWith(`/${API_PREFIX}/auth/callback`)) return url;
  return `${url.slice(0, query)}?[redacted]`;
}

/** A caller's X-Request-Id is kept when it is short and plain (it ends up in every line); otherwise a fresh one. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * Probes hit every few seconds: their lines only at debug. 503 (store away, shutting down) is expected now and
 * then: warn. Other server errors at error, everything else at info.
 */
function levelOf(req: IncomingMessage, res: ServerResponse, error?: Error): 'debug' | 'info' | 'warn' | 'error' {
  if (res.statusCode === 503) return 'warn';
  if (error || res.statusCode >= 500) return 'error';
  const url = req.url ?? '';
  const probe = url.startsWith(`/${API_PREFIX}/health`) || url.startsWith(`/${API_PREFIX}/metrics`);
  return probe ? 'debug' : 'info';
}

/** pino-pretty is a devDependency: used only when it is installed and a person is watching stdout. */
export function prettyTarget(stdoutIsTty: boolean): string | undefined {
  if (!stdoutIsTty) return undefined;
  try {
    return createRequire(process.argv[1] ?? `${process.cwd()}/`).resolve('pino-pretty');
  } catch {
    return undefined;
  }
}

export function loggerParams(config: AppConfig, stdoutIsTty = process.stdout.isTTY === true): Params {
  const pretty = prettyTarget(stdoutIsTty);
  return {
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: requestId,
      customLogLevel: levelOf,
      // The response's headers are the same security headers every time: keep only the status.
      serializers: {
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        req: (req: { url?: unknown }) => {
          if (typeof req.url === 'string') req.url = redactUrl(req.url);
          return req;
        },
      },
      ...(pretty
        ? { transport: { target: pretty, options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } }
        : {}),
    },
  };
}
