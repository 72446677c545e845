import type { Member } from '@tiny-chat/shared-types';
import { Cluster } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ApiInstance, ChatClient, connectTo, createRoomOn, startInstance } from './support/instances';
import { expectExactCapAndClose, expectOneOrder } from './support/scenarios';
import { join as joinAs, waitFor } from './support/test-server';
import { requireClusterNodes } from '../src/testing/redis-cluster-nodes';

/**
 * Three real API processes with STORE=redis on a real Redis Cluster (3 masters, 3 replicas, started by
 * scripts/redis-cluster.sh run): one order, presence and room:closed everywhere, the exact global cap, and each
 * room's shard channel subscribed by exactly the instances with members in it (plus a 30 s linger).
 */
describe('Redis Cluster: three API instances', () => {
  const clients: ChatClient[] = [];
  const instances: ApiInstance[] = [];
  const seeds = () =>
    requireClusterNodes()
      .map((n) => `${n.host}:${n.port}`)
      .join(',');
  let admin: Cluster;

  async function startThree(env: Record<string, string>): Promise<{ nodes: ApiInstance[]; prefix: string }> {
    const prefix = `clx:${randomUUID()}:`;
    const shared = {
      STORE: 'redis',
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_CLUSTER_NODES: seeds(),
      REDIS_KEY_PREFIX: prefix,
      ...env,
    };
    const nodes = await Promise.all(Array.from({ length: 3 }, () => startInstance(shared)));
    instances.push(...nodes);
    return { nodes, prefix };
  }
  async function connect(instance: ApiInstance): Promise<ChatClient> {
    const client = await connectTo(instance.url);
    clients.push(client);
    return client;
  }
  /** PUBSUB SHARDNUMSUB of the room's channel, summed over the masters. */
  async function shardSubscribers(prefix: string, roomId: string): Promise<number> {
    const channel = `${prefix}room:{${roomId}}:events`;
    const replies = await Promise.all(
      admin.nodes('master').map((node) => node.call('PUBSUB', 'SHARDNUMSUB', channel) as Promise<[string, number]>),
    );
    return replies.reduce((sum, reply) => sum + Number(reply[1]), 0);
  }
  async function metric(instance: ApiInstance, name: string): Promise<number> {
    const text = await (await fetch(`${instance.url}/api/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
    return Number(line?.split(' ').at(-1) ?? NaN);
  }
  async function eventually(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const onlineOf = (members: Member[]) => members.map((m) => `${m.nick}:${m.online}`).join(',');

  beforeAll(async () => {
    admin = new Cluster(requireClusterNodes());
    await new Promise<void>((resolve) => admin.once('ready', () => resolve()));
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(instances.map((i) => i.kill('SIGKILL')));
    admin.disconnect();
  });

  describe('a long-lived set of three', () => {
    let nodes: ApiInstance[];
    let prefix: string;
    beforeAll(async () => {
      ({ nodes, prefix } = await startThree({ CLEANUP_INTERVAL_SEC: '1', INSTANCE_TIMEOUT_SEC: '3' }));
    }, 40_000);

    it('concurrent senders on three instances: every client sees one identical order 1..180', async () => {
      const roomId = await createRoomOn(nodes[0]!);
      await expectOneOrder(nodes, roomId, 30, connect);
    }, 40_000);

    it('presence crosses instances, and PUBSUB SHARDNUMSUB follows joins and leaves (30 s linger)', async () => {
      const roomId = await createRoomOn(nodes[1]!);
      expect(await shardSubscribers(prefix, roomId)).toBe(0);
      // Rooms each instance listens to already (the earlier tests' members are still connected).
      const [, listenedBy1, listenedBy2] = await Promise.all(
        nodes.map((node) => metric(node, 'tinychat_redis_subscribed_rooms')),
      );
      const watcher = await connect(nodes[0]!);
      await joinAs(watcher, roomId, 'watcher');
      const updates: string[] = [];
      watcher.on('room:presence', (e) => updates.push(onlineOf(e.members)));
      expect(await shardSubscribers(prefix, roomId)).toBe(1);
      const second = await connect(nodes[0]!);
      await joinAs(second, roomId, 'second');
      expect(await shardSubscribers(prefix, roomId)).toBe(1);
      const remote = await connect(nodes[2]!);
      await joinAs(remote, roomId, 'remote');
      expect(await shardSubscribers(prefix, roomId)).toBe(2);
      await waitFor(() => updates.at(-1) === 'watcher:true,second:true,remote:true', 5000, 'remote online');
      expect(await metric(nodes[2]!, 'tinychat_redis_subscribed_rooms')).toBe(listenedBy2! + 1);
      // nodes[1] created the room but has no member in it: it never subscribed.
      expect(await metric(nodes[1]!, 'tinychat_redis_subscribed_rooms')).toBe(listenedBy1);

      const leftAt = Date.now();
      remote.disconnect();
      await waitFor(() => updates.at(-1) === 'watcher:true,second:true,remote:false', 5000, 'remote offline');
      // Its instance keeps listening for a while (a quick rejoin costs nothing), then lets go within 30 s.
      expect(await shardSubscribers(prefix, roomId)).toBe(2);
      await eventually(async () => (await shardSubscribers(prefix, roomId)) === 1, 32_000, 'nodes[2] unsubscribed');
      const lingeredMs = Date.now() - leftAt;
      expect(lingeredMs).toBeGreaterThan(25_000);
      expect(lingeredMs).toBeLessThan(32_000);
      expect(await metric(nodes[2]!, 'tinychat_redis_subscribed_rooms')).toBe(listenedBy2);
      // The other instance still has members: it still hears the room.
      second.disconnect();
      await new Promise((r) => setTimeout(r, 300));
      expect(await shardSubscribers(prefix, roomId)).toBe(1);
    }, 60_000);

    it('an instance hears about a third of the traffic when rooms are spread, not all of it', async () => {
      // Three rooms, each with its members on one instance only; messages go to all three rooms.
      const rooms = await Promise.all(nodes.map((node) => createRoomOn(node)));
      const before = await Promise.all(nodes.map((node) => metric(node, 'tinychat_redis_pubsub_received_total')));
      const members = await Promise.all(nodes.map((node) => connect(node)));
      const tokens: string[] = [];
      for (const [i, client] of members.entries()) tokens.push((await joinAs(client, rooms[i]!, `only${i}`)).userToken);
      for (let n = 0; n < 30; n++)
        await Promise.all(
          members.map((client, i) =>
            client.emitWithAck('message:send', { roomId: rooms[i]!, userToken: tokens[i]!, text: `x${n}` }),
          ),
        );
      await new Promise((r) => setTimeout(r, 500));
      const after = await Promise.all(nodes.map((node) => metric(node, 'tinychat_redis_pubsub_received_total')));
      for (const [i] of nodes.entries()) {
        const heard = after[i]! - before[i]!;
        // Its own room's 30 messages and a presence signal or two; none of the other rooms' 60 messages.
        expect(heard).toBeGreaterThanOrEqual(30);
        expect(heard).toBeLessThan(40);
      }
    }, 40_000);
  });

  it('the global cap is exact under 150 concurrent creations on three instances; room:closed reaches every instance', async () => {
    const { nodes } = await startThree({ MAX_ROOMS: '20', ROOM_IDLE_TIMEOUT_SEC: '3', CLEANUP_INTERVAL_SEC: '1' });
    await expectExactCapAndClose(nodes, 150, 20, connect);
  }, 60_000);

  it('per-address flood limits hold on the cluster: the 3rd room of a minute is RATE_LIMITED', async () => {
    const [node] = await Promise.all([
      startInstance({
        STORE: 'redis',
        REDIS_CLUSTER_NODES: seeds(),
        REDIS_KEY_PREFIX: `clrl:${randomUUID()}:`,
        RATE_ROOMS_PER_MIN: '2',
      }),
    ]);
    instances.push(node!);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${node!.url}/api/rooms`, { method: 'POST' })).status);
    expect(statuses).toEqual([201, 201, 429]);
  }, 30_000);
});
