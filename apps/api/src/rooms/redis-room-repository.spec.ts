import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { FastPaths } from '../transport/fast-paths/fast-paths';
import { RedisRoomRepository } from './redis-room-repository';
import type { AppendResult } from './room-repository';
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
  send(text: string, clientMsgId: string, at: number): Promise<AppendResult>;
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

describe('RedisRoomRepository room channels', () => {
  it('subscribes 50 rooms at once on a subscriber connection that is still connecting', async () => {
    const repo = new RedisRoomRepository({
      url: requireRedisUrl(),
      keyPrefix: `sub:${randomUUID()}:`,
      graceMs: GRACE_MS,
      instanceTimeoutMs: 15_000,
    });
    try {
      const rooms = Array.from({ length: 50 }, () => randomUUID());
      await Promise.all(rooms.map((roomId) => repo.listen(roomId)));
      expect(repo.listening().rooms).toBe(50);
    } finally {
      await repo.onModuleDestroy();
    }
  });
});

describe('RedisRoomRepository after a rollback (a failover lost the newest messages)', () => {
  it('gives the room a new epoch and ids past every id it saw; no id names two messages; lists skip the gap', () =>
    withRoom(async ({ repo, raw, prefix, roomId, now, send }) => {
      await repo.listen(roomId);
      const first = await send('m1', 'c1', now);
      for (let i = 2; i <= 5; i++) await send(`m${i}`, `c${i}`, now);
      // What a promoted replica that missed messages 4 and 5 holds: the room as it was after message 3.
      const base = `${prefix}room:{${roomId}}`;
      await raw.hset(base, 'lastMessageId', 3);
      await raw.ltrim(`${base}:messages`, 0, 2);
      await raw.zremrangebyscore(`${base}:dedupe`, 4, '+inf');
      const after = await send('m6', 'c6', now);
      expect(after.message.id).toBe(6);
      expect(after.epoch).not.toBe(first.epoch);
      // A resend of a lost message is stored again, as a new message with a new id.
      const resent = await send('m4', 'c4', now);
      expect(resent).toMatchObject({ duplicate: false, epoch: after.epoch, message: { id: 7, text: 'm4' } });
      const page = await repo.listMessages(roomId, 0, now);
      expect(page.epoch).toBe(after.epoch);
      expect(page.messages.map((m) => `${m.id}:${m.text}`)).toEqual(['1:m1', '2:m2', '3:m3', '6:m6', '7:m4']);
      expect((await repo.listMessages(roomId, 3, now)).messages.map((m) => m.id)).toEqual([6, 7]);
      // The room is consistent again: the next append neither jumps nor changes the epoch.
      expect(await send('m8', 'c8', now)).toMatchObject({ epoch: after.epoch, message: { id: 8 } });
    }));

  it('an instance that saw nothing of the room changes nothing', () =>
    withRoom(async ({ raw, prefix, roomId, now, send }) => {
      const first = await send('m1', 'c1', now);
      await send('m2', 'c2', now);
      await raw.hset(`${prefix}room:{${roomId}}`, 'lastMessageId', 1);
      await raw.ltrim(`${prefix}room:{${roomId}}:messages`, 0, 0);
      // Not listening: it keeps no knowledge of the room's ids, so it cannot tell.
      expect(await send('m3', 'c3', now)).toMatchObject({ epoch: first.epoch, message: { id: 2 } });
    }));
});

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
      const infos = await repo.serverInfo();
      expect(infos).toHaveLength(1);
      expect(infos[0]).toMatch(/redis_version:/);
      expect(refusalFor(infos[0] ?? '')).toBeNull();
    } finally {
      await repo.onModuleDestroy();
    }
  });
});
