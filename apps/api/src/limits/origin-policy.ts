/** Owns the browser Origin policy: /api requests, the socket.io handshake and every later engine.io request. */
import type { IncomingMessage } from 'node:http';

/**
 * Which browser origins may talk to the API and open sockets. CORS does not protect WebSockets, so the
 * check runs on every socket.io handshake and every /api request. Clients that send no Origin header
 * (non-browser clients) are allowed: the check protects browsers' users, not the server.
 */
export function isOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined || origin === '') return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && host !== undefined && url.host === host;
  } catch {
    return false;
  }
}

/** What engine.io's `server.engine.use()` hands a middleware (the HTTP request; the response is not needed). */
type EngineMiddleware = (req: IncomingMessage, res: unknown, next: (error?: Error) => void) => void;

/**
 * The Origin policy on every engine.io request, not only the handshake: each long-polling GET and POST and each
 * WebSocket upgrade. A refused request is answered 400 by engine.io before its body is read, so its packets never
 * run. JSONP long-polling (`&j=`) is refused too: a `<script>` tag on any page could otherwise drive a session.
 */
export function guardEngineRequests(allowed: readonly string[]): EngineMiddleware {
  return (req, _res, next) => {
    if (new URL(req.url ?? '/', 'http://localhost').searchParams.has('j')) {
      next(new Error('JSONP polling is off'));
    } else if (!isOriginAllowed(req.headers.origin, req.headers.host, allowed)) {
      next(new Error('Origin not allowed'));
    } else {
      next();
    }
  };
}
