/** Everything main.ts and the end-to-end tests both apply to an app: prefix, errors, headers, docs, SPA. */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { API_PREFIX, ERROR_CODES, SESSION_COOKIE } from '@tiny-chat/shared-types';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ChatIoAdapter } from './chat/chat-io.adapter';
import { ConnectionGuard } from './limits/connection-guard';
import { isOriginAllowed } from './limits/origin-policy';
import { SocketObserver } from './chat/socket-observer';
import { FastPaths } from './transport/fast-paths/fast-paths';
import {
  CsrfRejectedError,
  DomainError,
  OriginNotAllowedError,
  UnsupportedMediaTypeError,
} from './common/domain-errors';
import { errorResponseOf } from './common/error-mapping';
import { HttpErrorFilter } from './common/http-exception.filter';
import { AppConfig } from './config/app-config';
import { OWNER_KEY_SCHEME } from './creation/rooms.controller';
import { SESSION_SCHEME, Sessions } from './auth/sessions';

export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'connect-src': ["'self'", 'ws:', 'wss:'],
  'font-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
};

const SOCKET_DOC = `
Chat runs over socket.io (default namespace, path \`/socket.io\`, \`transports: ["websocket"]\` works).
Every client event takes an ack callback; every ack is \`{ ok: true, data } | { ok: false, error: { code, message, retryAfterMs? } }\`.

| client -> server | payload | ack data |
|---|---|---|
| \`room:join\` | \`{ roomId, nick }\` or \`{ roomId, userToken }\` | \`{ userToken, nick, memberId, members, messages, expiresAt, idleExpiresAt, limits }\` |
| \`message:send\` | \`{ roomId, userToken, text, clientMsgId? }\` | \`{ message }\` |
| \`message:list\` | \`{ roomId, userToken, afterId }\` | \`{ messages, truncated }\` |
| \`room:leave\` | \`{ roomId, userToken }\` | \`{}\` |
| \`room:touch\` | \`{ roomId, userToken }\` | \`{ idleExpiresAt }\` (keep the room open: activity like a send; once per 30 s per member, more -> \`RATE_LIMITED\` + \`retryAfterMs\`; the max age still closes the room) |
| \`room:typing\` | \`{ roomId, userToken }\` | \`{}\` (others in the room get \`room:typing\` \`{ roomId, nick }\`; never stored; at most once per second per member) |

Server -> client: \`message:new\` (Message \`{ id, roomId, nick, memberId, text, sentAt, clientMsgId? }\` and the room's \`epoch\`), \`room:typing\` \`{ roomId, nick }\`, \`room:presence\` \`{ roomId, members: [{ nick, online, memberId }] }\`, \`room:closed\` \`{ roomId, reason: "idle" | "ttl" | "closed" }\` (\`closed\`: its owner closed it).

Shutting down, an instance emits \`server:restarting\` \`{ reconnectAfterMs }\`; client events that reach it from a moment later on are answered \`SHUTTING_DOWN\` (send them again, same \`clientMsgId\`, once reconnected), and a new connection gets a \`connect_error\` whose message is \`SHUTTING_DOWN\`.

\`memberId\` is a member's public random id in a room (never the token), the same on every rejoin; a later member with a reused nick gets another.

Error codes: ${ERROR_CODES.map((c) => `\`${c}\``).join(', ')}.
`;

export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.get(ConnectionGuard).attach(app.getHttpServer());
  // No socket.io Redis adapter: rooms' events travel each room's own channel in the store (SocketRoomEvents).
  app.useWebSocketAdapter(new ChatIoAdapter(app, config, app.get(SocketObserver), app.get(FastPaths)));
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalFilters(new HttpErrorFilter());
  app.disable('x-powered-by');
  // Behind a load balancer the client address (rooms per IP) comes from X-Forwarded-For, for trusted proxies only.
  app.set('trust proxy', config.trustProxy);
  app.use(`/${API_PREFIX}`, guardApiRequests(config));
  const cookies = app.get(Sessions).cookieMiddleware();
  if (cookies) app.use(`/${API_PREFIX}`, cookies);
  app.useBodyParser('json', { limit: '16kb' });
  if (config.allowedOrigins.length > 0) {
    app.enableCors({ origin: config.allowedOrigins.includes('*') ? true : config.allowedOrigins });
  }
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
      crossOriginEmbedderPolicy: false,
    }),
  );
  // No enableShutdownHooks(): main.ts handles SIGTERM/SIGINT itself (drain, then close).

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('tiny-chat')
      .setDescription(`Throw-away chat rooms. REST creates and describes rooms.\n${SOCKET_DOC}`)
      .setVersion('1')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: "a room's ownerKey from POST /api/rooms (closes that room)" },
        OWNER_KEY_SCHEME,
      )
      .addCookieAuth(
        SESSION_COOKIE,
        {
          type: 'apiKey',
          in: 'cookie',
          description: 'the signed-in session (AUTH_MODE=oidc), set by /api/auth/callback',
        },
        SESSION_SCHEME,
      )
      .build(),
  );
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, { jsonDocumentUrl: `${API_PREFIX}/docs-json` });

  serveSpa(app, config.webRoot);
}

/** Methods that change something: with the session cookie they must come from this site (CSRF). */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A state-changing request that carries the session cookie from another site: an Origin that is not allowed,
 * `Origin: null` (sandboxed frames, some redirects), or the browser's own `Sec-Fetch-Site: cross-site`. The cookie
 * is SameSite=Lax, which already keeps it off most cross-site requests; this holds for the rest (older browsers,
 * same-site subdomains, and ALLOWED_ORIGINS='*').
 */
export function isCrossSiteWithSession(req: Request, allowedOrigins: readonly string[]): boolean {
  if (!STATE_CHANGING.has(req.method) || !Sessions.carriesSessionCookie(req)) return false;
  const origin = req.headers.origin;
  if (origin === 'null' || req.headers['sec-fetch-site'] === 'cross-site') return true;
  return !isOriginAllowed(
    origin,
    req.headers.host,
    allowedOrigins.filter((o) => o !== '*'),
  );
}

/**
 * Before any parsing: CSRF (above), only allowed origins (a browser's cross-site POST would otherwise run, CORS
 * only hides the answer), and request bodies only as JSON (a text/plain "simple request" is refused, not ignored).
 */
function guardApiRequests(config: AppConfig) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (isCrossSiteWithSession(req, config.allowedOrigins)) {
      refuse(res, new CsrfRejectedError());
      return;
    }
    if (!isOriginAllowed(req.headers.origin, req.headers.host, config.allowedOrigins)) {
      refuse(res, new OriginNotAllowedError());
      return;
    }
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) {
      refuse(res, new UnsupportedMediaTypeError());
      return;
    }
    next();
  };
}

/** Express middleware runs outside Nest's exception filter: it answers with the same body itself. */
function refuse(res: Response, error: DomainError): void {
  const body = errorResponseOf(error);
  res.status(body.statusCode).json(body);
}

/** The built SPA at /, with index.html for every non-API path so deep links survive a reload. */
function serveSpa(app: NestExpressApplication, webRoot: string): void {
  const index = join(webRoot, 'index.html');
  if (!existsSync(index)) return;
  app.useStaticAssets(webRoot, { index: false, maxAge: '1h' });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const isApi =
      req.path === `/${API_PREFIX}` || req.path.startsWith(`/${API_PREFIX}/`) || req.path.startsWith('/socket.io');
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApi) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
