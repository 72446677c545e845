import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { requireRedisUrl } from '../../testing/redis-url';
import { corkRedisWrites } from './corked-redis-writes';
import { FastPaths } from './fast-paths';

describe('corkRedisWrites (real redis-server)', () => {
  it('sends the commands of one loop turn in one corked write and gets every answer, in order', async () => {
    const client = new Redis(requireRedisUrl(), { lazyConnect: true });
    corkRedisWrites(client, new FastPaths(true));
    await client.connect();
    try {
      const key = `coalesce:${randomUUID()}`;
      const replies = Array.from({ length: 50 }, () => client.incr(key));
      // Still this turn: the 50 commands wait in the corked socket.
      expect(client.stream.writableCorked).toBe(1);
      expect(client.stream.writableLength).toBeGreaterThan(50 * 10);
      expect(await Promise.all(replies)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(client.stream.writableCorked).toBe(0);
      await client.del(key);
    } finally {
      client.disconnect();
    }
  });

  it('leaves every write as ioredis makes it with FAST_PATHS=off', async () => {
    const client = new Redis(requireRedisUrl(), { lazyConnect: true });
    corkRedisWrites(client, new FastPaths(false));
    await client.connect();
    try {
      const key = `coalesce:${randomUUID()}`;
      const replies = Array.from({ length: 5 }, () => client.incr(key));
      expect(client.stream.writableCorked).toBe(0);
      expect(await Promise.all(replies)).toEqual([1, 2, 3, 4, 5]);
      await client.del(key);
    } finally {
      client.disconnect();
    }
  });
});
