import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { coalesceRedisWrites, RedisRoomRepository } from './redis-room-repository';
import { describeRoomRepositoryContract } from './room-repository.contract';

function requireRedisUrl(): string {
  const url = process.env['REDIS_URL'];
  if (!url) throw new Error('REDIS_URL is not set: the jest global setup starts redis-server');
  return url;
}

describeRoomRepositoryContract(
  'redis',
  async () => {
    const repo = new RedisRoomRepository({
      url: requireRedisUrl(),
      keyPrefix: `test:${randomUUID()}:`,
      graceMs: 60_000,
      instanceTimeoutMs: 15_000,
    });
    await repo.ready();
    return repo;
  },
  async (repo) => (repo as RedisRoomRepository).onModuleDestroy(),
);

describe('RedisRoomRepository keys', () => {
  it('puts every key of a room under its {roomId} hash tag with a TTL at its deadline plus grace', async () => {
    const prefix = `ttl:${randomUUID()}:`;
    const repo = new RedisRoomRepository({
      url: requireRedisUrl(),
      keyPrefix: prefix,
      graceMs: 60_000,
      instanceTimeoutMs: 15_000,
    });
    const raw = new Redis(requireRedisUrl());
    try {
      await repo.ready();
      const now = Date.now();
      const roomId = 'abcdefghijklmnopqrstuv';
      await repo.createRoom(
        { roomId, createdAt: now, expiresAt: now + 3_600_000, idleExpiresAt: now + 300_000, lastMessageId: 0 },
        10,
        now,
      );
      await repo.addMember(
        roomId,
        { memberId: 'm1', nick: 'a', nickKey: 'a', tokenHash: 'h' },
        { idleExpiresAt: now + 300_000, maxMembers: 10 },
        now,
      );
      await repo.addConnection(roomId, 'm1', 'c1', now);
      await repo.appendMessage(
        roomId,
        { tokenHash: 'h', text: 'x', clientMsgId: 'c', sentAt: now },
        { historyLimit: 10, idleExpiresAt: now + 300_000 },
        now,
      );
      const keys = await raw.keys(`${prefix}room:*`);
      expect(keys.length).toBe(6);
      for (const key of keys) {
        expect(key).toContain(`{${roomId}}`);
        const ttl = await raw.pttl(key);
        expect(ttl).toBeGreaterThan(300_000 + 60_000 - 5_000);
        expect(ttl).toBeLessThanOrEqual(300_000 + 60_000);
      }
      const closed = await repo.takeExpiredRooms(now + 300_000);
      expect(closed).toEqual([{ roomId, reason: 'idle' }]);
      expect(await raw.keys(`${prefix}room:*`)).toEqual([]);
    } finally {
      raw.disconnect();
      await repo.onModuleDestroy();
    }
  });

  it('moves the TTLs with the idle deadline in steps of at least a second, not at every message', async () => {
    const prefix = `ttl:${randomUUID()}:`;
    const repo = new RedisRoomRepository({
      url: requireRedisUrl(),
      keyPrefix: prefix,
      graceMs: 60_000,
      instanceTimeoutMs: 15_000,
    });
    const raw = new Redis(requireRedisUrl());
    try {
      await repo.ready();
      const now = Date.now();
      const roomId = 'bcdefghijklmnopqrstuvw';
      const idle = (at: number) => ({ historyLimit: 10, idleExpiresAt: at + 300_000 });
      await repo.createRoom(
        { roomId, createdAt: now, expiresAt: now + 3_600_000, idleExpiresAt: now + 300_000, lastMessageId: 0 },
        10,
        now,
      );
      await repo.addMember(
        roomId,
        { memberId: 'm1', nick: 'a', nickKey: 'a', tokenHash: 'h' },
        { idleExpiresAt: now + 300_000, maxMembers: 10 },
        now,
      );
      const expiries = async () => {
        const keys = (await raw.keys(`${prefix}room:*`)).sort();
        return Promise.all(keys.map(async (key) => [key, Number(await raw.call('PEXPIRETIME', key))] as const));
      };
      await repo.appendMessage(roomId, { tokenHash: 'h', text: 'x', clientMsgId: 'c1', sentAt: now }, idle(now), now);
      const first = await expiries();
      expect(first.map(([, at]) => at)).toEqual(first.map(() => now + 300_000 + 60_000));

      // Half a second later the deadline moved by 500 ms: the TTLs stay (but the room knows its new deadline).
      await repo.appendMessage(
        roomId,
        { tokenHash: 'h', text: 'y', clientMsgId: 'c2', sentAt: now + 500 },
        idle(now + 500),
        now + 500,
      );
      expect(await expiries()).toEqual(first);
      expect((await repo.getRoom(roomId, now + 500))?.idleExpiresAt).toBe(now + 500 + 300_000);

      // A second and a half later: every key follows.
      await repo.appendMessage(
        roomId,
        { tokenHash: 'h', text: 'z', clientMsgId: 'c3', sentAt: now + 1500 },
        idle(now + 1500),
        now + 1500,
      );
      expect((await expiries()).map(([, at]) => at)).toEqual(first.map(() => now + 1500 + 300_000 + 60_000));
    } finally {
      raw.disconnect();
      await repo.onModuleDestroy();
    }
  });
});

describe('coalesceRedisWrites (real redis-server)', () => {
  it('sends the commands of one loop turn in one corked write and gets every answer, in order', async () => {
    const client = new Redis(requireRedisUrl(), { lazyConnect: true });
    coalesceRedisWrites(client);
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
});
