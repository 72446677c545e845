import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { FastPaths } from '../transport/fast-paths/fast-paths';
import { RedisRoomRepository } from './redis-room-repository';
import { describeRoomRepositoryContract } from './room-repository.contract';
import { requireRedisUrl } from '../testing/redis-url';
import { refusalFor } from './redis-version';

for (const fastPaths of [true, false]) {
  describeRoomRepositoryContract(
    fastPaths ? 'redis' : 'redis with FAST_PATHS=off',
    async () => {
      const repo = new RedisRoomRepository({
        url: requireRedisUrl(),
        keyPrefix: `test:${randomUUID()}:`,
        graceMs: 60_000,
        instanceTimeoutMs: 15_000,
        fastPaths: new FastPaths(fastPaths),
      });
      await repo.ready();
      return repo;
    },
    async (repo) => (repo as RedisRoomRepository).onModuleDestroy(),
  );
}

const IDLE_MS = 300_000;
const GRACE_MS = 60_000;

interface RoomFixture {
  repo: RedisRoomRepository;
  /** A plain client on the same Redis, to look at the keys. */
  raw: Redis;
  prefix: string;
  roomId: string;
  now: number;
  /** Member m1 (token hash 'h') sends at `at`, which also moves the idle deadline to at + IDLE_MS. */
  send(text: string, clientMsgId: string, at: number): Promise<unknown>;
}

/** A room with one member (m1, token hash 'h') created now, under a key prefix of its own. */
async function withRoom(test: (room: RoomFixture) => Promise<void>): Promise<void> {
  const prefix = `ttl:${randomUUID()}:`;
  const repo = new RedisRoomRepository({
    url: requireRedisUrl(),
    keyPrefix: prefix,
    graceMs: GRACE_MS,
    instanceTimeoutMs: 15_000,
  });
  const raw = new Redis(requireRedisUrl());
  try {
    await repo.ready();
    const now = Date.now();
    const roomId = randomUUID().replace(/-/g, '').slice(0, 22);
    await repo.createRoom(
      { roomId, createdAt: now, expiresAt: now + 3_600_000, idleExpiresAt: now + IDLE_MS, lastMessageId: 0 },
      10,
      now,
    );
    await repo.addMember(
      roomId,
      { memberId: 'm1', publicId: 'p1', nick: 'a', nickKey: 'a', tokenHash: 'h' },
      { idleExpiresAt: now + IDLE_MS, maxMembers: 10 },
      now,
    );
    const send = (text: string, clientMsgId: string, at: number) =>
      repo.appendMessage(
        roomId,
        { tokenHash: 'h', text, clientMsgId, sentAt: at },
        { historyLimit: 10, idleExpiresAt: at + IDLE_MS },
        at,
      );
    await test({ repo, raw, prefix, roomId, now, send });
  } finally {
    raw.disconnect();
    await repo.onModuleDestroy();
  }
}

describe('RedisRoomRepository keys', () => {
  it('puts every key of a room under its {roomId} hash tag with a TTL at its deadline plus grace', () =>
    withRoom(async ({ repo, raw, prefix, roomId, now, send }) => {
      await repo.addConnection(roomId, 'm1', 'c1', now);
      await send('x', 'c', now);
      const keys = await raw.keys(`${prefix}room:*`);
      expect(keys.length).toBe(6);
      for (const key of keys) {
        expect(key).toContain(`{${roomId}}`);
        const ttl = await raw.pttl(key);
        expect(ttl).toBeGreaterThan(IDLE_MS + GRACE_MS - 5_000);
        expect(ttl).toBeLessThanOrEqual(IDLE_MS + GRACE_MS);
      }
      const closed = await repo.takeExpiredRooms(now + IDLE_MS);
      expect(closed).toEqual([{ roomId, reason: 'idle' }]);
      expect(await raw.keys(`${prefix}room:*`)).toEqual([]);
    }));

  it('moves the TTLs with the idle deadline in steps of at least a second, not at every message', () =>
    withRoom(async ({ repo, raw, prefix, roomId, now, send }) => {
      const expiries = async () => {
        const keys = (await raw.keys(`${prefix}room:*`)).sort();
        return Promise.all(keys.map(async (key) => [key, Number(await raw.call('PEXPIRETIME', key))] as const));
      };
      await send('x', 'c1', now);
      const first = await expiries();
      expect(first.map(([, at]) => at)).toEqual(first.map(() => now + IDLE_MS + GRACE_MS));

      // Half a second later the deadline moved by 500 ms: the TTLs stay (but the room knows its new deadline).
      await send('y', 'c2', now + 500);
      expect(await expiries()).toEqual(first);
      expect((await repo.getRoom(roomId, now + 500))?.idleExpiresAt).toBe(now + 500 + IDLE_MS);

      // A second and a half later: every key follows.
      await send('z', 'c3', now + 1500);
      expect((await expiries()).map(([, at]) => at)).toEqual(first.map(() => now + 1500 + IDLE_MS + GRACE_MS));
    }));
});

describe('the Redis the suites run on', () => {
  it('is one the start-up check accepts (7.0 or newer)', async () => {
    const repo = new RedisRoomRepository({
      url: requireRedisUrl(),
      keyPrefix: `test:${randomUUID()}:`,
      graceMs: GRACE_MS,
      instanceTimeoutMs: 15_000,
    });
    try {
      await repo.ready();
      const info = await repo.serverInfo();
      expect(info).toMatch(/redis_version:/);
      expect(refusalFor(info)).toBeNull();
    } finally {
      await repo.onModuleDestroy();
    }
  });
});
