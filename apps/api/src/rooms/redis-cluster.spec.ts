/**
 * RedisRoomRepository on a real Redis Cluster (3 masters, 3 replicas; `scripts/redis-cluster.sh run` starts it):
 * the whole contract, keys spread over every master, and per-room shard channels an instance hears only while it
 * has members in the room.
 */
import type { Message } from '@tiny-chat/shared-types';
import { Cluster } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { RedisSessionStore } from '../auth/redis-session-store';
import { requireClusterNodes } from '../testing/redis-cluster-nodes';
import { RedisRoomRepository } from './redis-room-repository';
import { describeRoomRepositoryContract } from './room-repository.contract';

const IDLE = 300_000;
const opened: RedisRoomRepository[] = [];

async function repository(prefix: string, lingerMs?: number): Promise<RedisRoomRepository> {
  const repo = new RedisRoomRepository({
    url: 'redis://unused',
    clusterNodes: requireClusterNodes(),
    keyPrefix: prefix,
    graceMs: 60_000,
    instanceTimeoutMs: 15_000,
    lingerMs,
  });
  opened.push(repo);
  await repo.ready(10_000);
  return repo;
}

describeRoomRepositoryContract(
  'redis cluster',
  () => repository(`cl:${randomUUID()}:`),
  async (repo) => (repo as RedisRoomRepository).onModuleDestroy(),
);

describe('RedisRoomRepository on a Redis Cluster', () => {
  let admin: Cluster;
  beforeAll(async () => {
    admin = new Cluster(requireClusterNodes());
    await new Promise<void>((resolve) => admin.once('ready', () => resolve()));
  });
  afterAll(async () => {
    await Promise.all(opened.map((repo) => repo.onModuleDestroy()));
    admin.disconnect();
  });

  const now = () => Date.now();
  const newRoomId = () => randomUUID().replace(/-/g, '').slice(0, 22);
  async function roomWithMember(repo: RedisRoomRepository, roomId = newRoomId()): Promise<string> {
    const t = now();
    await repo.createRoom(
      { roomId, createdAt: t, expiresAt: t + 3_600_000, idleExpiresAt: t + IDLE, lastMessageId: 0 },
      1000,
      t,
    );
    await repo.addMember(
      roomId,
      { memberId: 'm1', publicId: 'p1', nick: 'ann', nickKey: 'ann', tokenHash: 'h' },
      { idleExpiresAt: t + IDLE, maxMembers: 10 },
      t,
    );
    return roomId;
  }
  /** PUBLISH SHARDNUMSUB of the channel, summed over the masters (only the slot's master knows its subscribers). */
  async function shardSubscribers(channel: string): Promise<number> {
    const replies = await Promise.all(
      admin.nodes('master').map((node) => node.call('PUBSUB', 'SHARDNUMSUB', channel) as Promise<[string, number]>),
    );
    return replies.reduce((sum, reply) => sum + Number(reply[1]), 0);
  }
  async function eventually(check: () => Promise<boolean> | boolean, what: string, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it("spreads rooms' keys over all three masters", async () => {
    const prefix = `spread:${randomUUID()}:`;
    const repo = await repository(prefix);
    for (let i = 0; i < 30; i++) await roomWithMember(repo);
    const perMaster = await Promise.all(
      admin.nodes('master').map(async (node) => {
        let cursor = '0';
        let keys = 0;
        do {
          const [next, found] = await node.scan(cursor, 'MATCH', `${prefix}room:*`, 'COUNT', 1000);
          cursor = next;
          keys += found.length;
        } while (cursor !== '0');
        return keys;
      }),
    );
    expect(perMaster).toHaveLength(3);
    for (const keys of perMaster) expect(keys).toBeGreaterThan(0);
  });

  it("SHARDNUMSUB on a room's channel counts the instances listening, and one lets go after its linger", async () => {
    const prefix = `numsub:${randomUUID()}:`;
    const [a, b] = [await repository(prefix, 400), await repository(prefix, 400)] as const;
    const roomId = await roomWithMember(a);
    const channel = `${prefix}room:{${roomId}}:events`;
    expect(await shardSubscribers(channel)).toBe(0);
    await a.listen(roomId);
    expect(await shardSubscribers(channel)).toBe(1);
    await b.listen(roomId);
    expect(await shardSubscribers(channel)).toBe(2);
    b.release(roomId);
    // Still heard during the linger, and a listen() within it keeps the subscription.
    expect(await shardSubscribers(channel)).toBe(2);
    await b.listen(roomId);
    await new Promise((r) => setTimeout(r, 600));
    expect(await shardSubscribers(channel)).toBe(2);
    b.release(roomId);
    await eventually(async () => (await shardSubscribers(channel)) === 1, 'b unsubscribed after its linger');
    expect(b.listening().rooms).toBe(0);
    expect(a.listening().rooms).toBe(1);
  });

  it('an instance hears only the rooms it listens to: messages, in order, and signals', async () => {
    const prefix = `hear:${randomUUID()}:`;
    const [a, b] = [await repository(prefix), await repository(prefix)] as const;
    const mine = await roomWithMember(a);
    const theirs = await roomWithMember(a);
    await a.listen(mine);
    await b.listen(theirs);
    const heardByA: Message[] = [];
    const heardByB: Message[] = [];
    a.onMessageStored((m) => heardByA.push(m));
    b.onMessageStored((m) => heardByB.push(m));
    const before = { a: a.listening().received, b: b.listening().received };
    const t = now();
    const opts = { historyLimit: 100, idleExpiresAt: t + IDLE };
    for (let i = 1; i <= 20; i++) await b.appendMessage(mine, { tokenHash: 'h', text: `m${i}`, sentAt: t }, opts, t);
    await b.signal(mine, { type: 'closed', reason: 'closed' });
    await eventually(() => heardByA.length === 20, 'a hears its room');
    expect(heardByA.map((m) => m.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await eventually(() => a.listening().received - before.a === 21, 'a hears the signal too');
    // b sent them but does not listen to that room: nothing of it reached b.
    await new Promise((r) => setTimeout(r, 200));
    expect(heardByB).toEqual([]);
    expect(b.listening().received - before.b).toBe(0);
  });

  it('keeps sign-in sessions on the cluster: put, get, take once, delete', async () => {
    const store = new RedisSessionStore(
      { url: 'redis://unused', clusterNodes: requireClusterNodes() },
      `ss:${randomUUID()}:`,
    );
    try {
      await eventually(
        async () =>
          store.get('x').then(
            () => true,
            () => false,
          ),
        'session store ready',
      );
      await store.put('a', 'one', 60_000);
      await store.put('b', 'two', 60_000);
      expect(await store.get('a')).toBe('one');
      expect(await store.take('b')).toBe('two');
      expect(await store.take('b')).toBeNull();
      await store.delete('a');
      expect(await store.get('a')).toBeNull();
    } finally {
      await store.onModuleDestroy();
    }
  });
});
