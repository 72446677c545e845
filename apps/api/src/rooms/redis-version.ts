/**
 * The oldest Redis tiny-chat runs on. Rooms' events are moving to sharded pub/sub (SPUBLISH / SSUBSCRIBE), which
 * Redis has since 7.0; an older server is refused at start rather than failing on the first message.
 */
export const MIN_REDIS_VERSION = '7.0.0';

/** `redis_version` from an `INFO server` reply, or null when the reply has none. */
export function redisVersionOf(info: string): string | null {
  const match = /^redis_version:([0-9][0-9.]*)\s*$/m.exec(info);
  return match?.[1] ?? null;
}

/** True when `version` (dotted numbers) is at least `minimum`. */
export function isAtLeast(version: string, minimum: string = MIN_REDIS_VERSION): boolean {
  const have = version.split('.').map(Number);
  const need = minimum.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** The start-up refusal for a Redis older than MIN_REDIS_VERSION (null when it is recent enough). */
export function refusalFor(info: string): string | null {
  const version = redisVersionOf(info);
  if (version !== null && isAtLeast(version)) return null;
  return (
    `Redis ${MIN_REDIS_VERSION.replace(/\.0$/, '')} or newer is needed (sharded pub/sub), found ` +
    `${version ?? 'a server that does not report redis_version'}: upgrade Redis or run with STORE=memory`
  );
}
