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
