/** The Redis that the jest global setup started (or that REDIS_URL points at), for suites that need a real one. */
export function requireRedisUrl(): string {
  const url = process.env['REDIS_URL'];
  if (!url) throw new Error('REDIS_URL is not set: the jest global setup starts redis-server');
  return url;
}
