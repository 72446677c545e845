import type { Member, Message } from '@tiny-chat/shared-types';
import { randomUUID } from 'node:crypto';
import { ApiInstance, ChatClient, connectTo, createRoomOn, startInstance } from './support/instances';
import { expectExactCapAndClose, expectOneOrder } from './support/scenarios';
import { join as joinAs, waitFor } from './support/test-server';
import { requireRedisUrl } from '../src/testing/redis-url';

/** Three real API processes with STORE=redis sharing one redis-server; clients spread over them. */
describe('scale-out: several API instances serving one room through Redis', () => {
  const clients: ChatClient[] = [];
  const instances: ApiInstance[] = [];
  async function cluster(count: number, env: Record<string, string>): Promise<ApiInstance[]> {
    const shared = { STORE: 'redis', REDIS_URL: requireRedisUrl(), REDIS_KEY_PREFIX: `scale:${randomUUID()}:`, ...env };
    const started = await Promise.all(Array.from({ length: count }, () => startInstance(shared)));
    instances.push(...started);
    return started;
  }
  async function connect(instance: ApiInstance): Promise<ChatClient> {
    const client = await connectTo(instance.url);
    clients.push(client);
    return client;
  }
  const onlineOf = (members: Member[]) => members.map((m) => `${m.nick}:${m.online}`).join(',');

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(instances.map((i) => i.kill('SIGKILL')));
  });

  describe('a long-lived cluster of three', () => {
    let nodes: ApiInstance[];
    beforeAll(async () => {
      nodes = await cluster(3, { CLEANUP_INTERVAL_SEC: '1', INSTANCE_TIMEOUT_SEC: '3' });
    }, 30_000);

    it('concurrent senders on three instances: every client sees one identical order 1..300', async () => {
      const roomId = await createRoomOn(nodes[0]!);
      await expectOneOrder(nodes, roomId, 50, connect);
    }, 40_000);

    it('presence crosses instances; a member whose instance dies goes offline within the bound', async () => {
      const roomId = await createRoomOn(nodes[1]!);
      const watcher = await connect(nodes[0]!);
      await joinAs(watcher, roomId, 'watcher');
      const updates: string[] = [];
      watcher.on('room:presence', (e) => updates.push(onlineOf(e.members)));
      const remote = await connect(nodes[1]!);
      const { userToken } = await joinAs(remote, roomId, 'remote');
      await waitFor(() => updates.at(-1) === 'watcher:true,remote:true', 5000, 'remote online');
      const tab2 = await connect(nodes[2]!);
      await tab2.emitWithAck('room:join', { roomId, userToken });
      remote.disconnect();
      await new Promise((r) => setTimeout(r, 300));
      expect(updates.at(-1)).toBe('watcher:true,remote:true');
      // The member's last socket lives on nodes[2]: kill that instance without a goodbye.
      const killedAt = Date.now();
      await nodes[2]!.kill('SIGKILL');
      await waitFor(() => updates.at(-1) === 'watcher:true,remote:false', 15_000, 'orphaned member offline');
      const offlineAfterMs = Date.now() - killedAt;
      expect(offlineAfterMs).toBeLessThan(15_000);
      const details = await (await fetch(`${nodes[0]!.url}/api/rooms/${roomId}`)).json();
      expect(onlineOf(details.members)).toBe('watcher:true,remote:false');
    }, 40_000);

    it('clients of a killed instance reconnect to another and catch up with no gap and no duplicate', async () => {
      const [a, b] = nodes;
      const roomId = await createRoomOn(a!);
      const sender = await connect(a!);
      const senderJoin = await joinAs(sender, roomId, 'sender');
      const victim = await connect(b!);
      const victimJoin = await joinAs(victim, roomId, 'victim');
      const seen = new Map<number, Message>();
      victim.on('message:new', (m) => seen.set(m.id, m));
      for (let i = 1; i <= 20; i++)
        await sender.emitWithAck('message:send', { roomId, userToken: senderJoin.userToken, text: `m${i}` });
      await waitFor(() => seen.size === 20, 5000, 'first 20');
      await b!.kill('SIGKILL');
      await waitFor(() => !victim.connected, 5000, 'victim disconnected');
      for (let i = 21; i <= 40; i++)
        await sender.emitWithAck('message:send', { roomId, userToken: senderJoin.userToken, text: `m${i}` });
      const again = await connect(a!);
      again.on('message:new', (m) => seen.set(m.id, m));
      const rejoin = await again.emitWithAck('room:join', { roomId, userToken: victimJoin.userToken });
      expect(rejoin).toMatchObject({ ok: true, data: { nick: 'victim' } });
      const lastSeen = Math.max(...seen.keys());
      const page = await again.emitWithAck('message:list', {
        roomId,
        userToken: victimJoin.userToken,
        afterId: lastSeen,
      });
      expect(page.ok).toBe(true);
      const missed = page.ok ? page.data.messages : [];
      expect(missed[0]?.id).toBe(lastSeen + 1);
      for (const m of missed) {
        expect(seen.has(m.id)).toBe(false);
        seen.set(m.id, m);
      }
      for (let i = 41; i <= 45; i++)
        await sender.emitWithAck('message:send', { roomId, userToken: senderJoin.userToken, text: `m${i}` });
      await waitFor(() => seen.size === 45, 5000, 'live again');
      expect([...seen.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
      expect([...seen.values()].map((m) => m.text)).toEqual(expect.arrayContaining(['m1', 'm20', 'm21', 'm40', 'm45']));
    }, 40_000);
  });

  it('the room cap is global and room:closed reaches members on every instance', async () => {
    const nodes = await cluster(3, { MAX_ROOMS: '4', ROOM_IDLE_TIMEOUT_SEC: '2', CLEANUP_INTERVAL_SEC: '1' });
    await expectExactCapAndClose(nodes, 12, 4, connect);
  }, 40_000);
});
