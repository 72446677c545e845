import type { Message, NewMessageEvent } from '@tiny-chat/shared-types';
import calculateSlot from 'cluster-key-slot';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { ApiInstance, ChatClient, connectTo, createRoomOn, startInstance } from './support/instances';
import { startTestCluster, TestCluster } from './support/redis-cluster';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const roleOf = (port: number) => {
  try {
    return execFileSync('redis-cli', ['-p', String(port), 'role'], { timeout: 2000 })
      .toString()
      .split('\n')[0];
  } catch {
    return 'down';
  }
};

/**
 * A client as the web app behaves: it keeps a view of the room by id, and when an ack or message:new carries
 * another epoch it drops the view and reloads it from message:list afterId 0. It sends one message at a time and
 * sends it again with the same clientMsgId until acknowledged.
 */
class RoomClient {
  readonly view = new Map<number, string>();
  epoch = '';
  readonly acked: Array<{ id: number; text: string; at: number }> = [];
  /** Sends that got no answer at all within 5 s (a hang): there must be none. */
  unanswered = 0;
  /** Every (id, text) this client was ever told of, whatever the epoch. */
  readonly told: Array<[number, string]> = [];
  private sending = false;
  private reloading: Promise<void> | null = null;

  constructor(
    readonly name: string,
    readonly socket: ChatClient,
    readonly roomId: string,
    private userToken = '',
  ) {
    socket.on('message:new', (m: NewMessageEvent) => {
      this.told.push([m.id, m.text]);
      if (m.epoch !== this.epoch) void this.reload(m.epoch);
      else this.view.set(m.id, m.text);
    });
  }

  /** Joins, trying again while the store answers STORE_UNAVAILABLE (for up to 15 s), as the web app does. */
  async join(): Promise<void> {
    const deadline = Date.now() + 15_000;
    let ack = await this.socket.emitWithAck('room:join', { roomId: this.roomId, nick: this.name });
    while (!ack.ok && ack.error.code === 'STORE_UNAVAILABLE' && Date.now() < deadline) {
      await sleep(250);
      ack = await this.socket.emitWithAck('room:join', { roomId: this.roomId, nick: this.name });
    }
    if (!ack.ok) throw new Error(ack.error.code);
    this.userToken = ack.data.userToken;
    this.epoch = ack.data.epoch;
  }

  reload(epoch: string): Promise<void> {
    this.epoch = epoch;
    this.reloading ??= (async () => {
      try {
        for (;;) {
          const messages = await this.listAll();
          if (!messages) {
            await sleep(200);
            continue;
          }
          this.view.clear();
          for (const m of messages) this.view.set(m.id, m.text);
          return;
        }
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  /** Every message the room holds, paging with message:list from afterId 0 (null when the store did not answer). */
  async listAll(): Promise<Message[] | null> {
    const all: Message[] = [];
    for (let after = 0; ; ) {
      const page = await this.socket
        .timeout(5000)
        .emitWithAck('message:list', { roomId: this.roomId, userToken: this.userToken, afterId: after })
        .catch(() => null);
      if (!page?.ok) return null;
      if (page.data.epoch !== this.epoch) this.epoch = page.data.epoch;
      for (const m of page.data.messages) this.told.push([m.id, m.text]);
      all.push(...page.data.messages);
      const last = page.data.messages.at(-1);
      if (!page.data.hasMore || !last) return all;
      after = last.id;
    }
  }

  /** Sends `${name}:0`, `${name}:1`, ... every `everyMs` until stopped, each until acknowledged. */
  async sendLoop(everyMs: number): Promise<void> {
    this.sending = true;
    for (let n = 0; this.sending; n++) {
      const text = `${this.name}:${n}`;
      const clientMsgId = `${this.name}-${n}`;
      for (;;) {
        const ack = await this.socket
          .timeout(5000)
          .emitWithAck('message:send', { roomId: this.roomId, userToken: this.userToken, text, clientMsgId })
          .catch(() => null);
        if (ack?.ok) {
          this.acked.push({ id: ack.data.message.id, text, at: Date.now() });
          if (ack.data.epoch !== this.epoch) void this.reload(ack.data.epoch);
          break;
        }
        // STORE_UNAVAILABLE: the same message again, as the web app does.
        if (ack === null) this.unanswered++;
        else expect(ack.error.code).toBe('STORE_UNAVAILABLE');
        await sleep(100);
      }
      await sleep(everyMs);
    }
  }

  stop(): void {
    this.sending = false;
  }
}

describe('Redis Cluster failover and restart under three API instances', () => {
  let cluster: TestCluster;
  const instances: ApiInstance[] = [];
  const sockets: ChatClient[] = [];
  const roomClients: RoomClient[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster();
  }, 60_000);
  afterAll(async () => {
    for (const client of roomClients) client.stop();
    for (const socket of sockets) socket.disconnect();
    await Promise.all(instances.map((i) => i.kill('SIGKILL')));
    await cluster.stop();
  });

  async function startThree(env: Record<string, string>): Promise<{ nodes: ApiInstance[]; prefix: string }> {
    const prefix = `fo:${randomUUID()}:`;
    const shared = {
      STORE: 'redis',
      REDIS_CLUSTER_NODES: cluster.seeds,
      REDIS_KEY_PREFIX: prefix,
      HISTORY_LIMIT: '5000',
      ...env,
    };
    const nodes = await Promise.all(Array.from({ length: 3 }, () => startInstance(shared)));
    instances.push(...nodes);
    return { nodes, prefix };
  }
  async function clientsIn(nodes: ApiInstance[], roomId: string): Promise<RoomClient[]> {
    return Promise.all(
      nodes.map(async (node, i) => {
        const socket = await connectTo(node.url);
        sockets.push(socket);
        const client = new RoomClient(`c${i}`, socket, roomId);
        roomClients.push(client);
        await client.join();
        return client;
      }),
    );
  }

  it('kill -9 of the room master with a lagging replica: one order everywhere, no id reused, nothing acknowledged lost (REDIS_WAIT_REPLICAS=1)', async () => {
    const { nodes, prefix } = await startThree({ REDIS_WAIT_REPLICAS: '1', REDIS_WAIT_TIMEOUT_MS: '300' });
    const roomId = await createRoomOn(nodes[0]!);
    const clients = await clientsIn(nodes, roomId);
    const firstEpoch = clients[0]!.epoch;
    const slot = calculateSlot(`${prefix}room:{${roomId}}`);
    const { master, replicas } = cluster.slotOwners(slot, cluster.nodes[0]!.port);
    const replica = replicas[0]!;
    expect(master).toBeGreaterThan(0);
    expect(replica).toBeGreaterThan(0);

    const loops = clients.map((c) => c.sendLoop(40));
    await sleep(1000);
    // The replica stops, and the master drops its replication link (what it already sent stays in the replica's
    // socket buffer): from here on the master takes (and publishes) messages it will never pass on.
    cluster.signal(replica, 'SIGSTOP');
    execFileSync('redis-cli', ['-p', String(master), 'client', 'kill', 'type', 'replica'], { timeout: 2000 });
    await sleep(1000);
    cluster.signal(master, 'SIGKILL');
    cluster.signal(replica, 'SIGCONT');
    const killedAt = Date.now();
    let promotedAt = 0;
    while (Date.now() - killedAt < 20_000) {
      if (roleOf(replica) === 'master') {
        promotedAt = Date.now();
        break;
      }
      await sleep(50);
    }
    if (!promotedAt) throw new Error(`no failover:\n${cluster.logOf(replica).split('\n').slice(-30).join('\n')}`);
    // The killed node comes back (as the new master's replica): WAIT can be satisfied again.
    cluster.restart(master);
    const backAt = await (async () => {
      while (Date.now() - promotedAt < 15_000) {
        const after = clients.flatMap((c) => c.acked.filter((a) => a.at > promotedAt));
        if (after.length > 0) return Math.min(...after.map((a) => a.at));
        await sleep(50);
      }
      return Infinity;
    })();
    expect(backAt - promotedAt).toBeLessThan(10_000);
    await sleep(1500);
    for (const c of clients) c.stop();
    await Promise.all(loops);

    // Every request was answered during the failover: STORE_UNAVAILABLE, never a hang or INTERNAL.
    expect(clients.map((c) => c.unanswered)).toEqual([0, 0, 0]);
    const final = await clients[0]!.listAll();
    expect(final).not.toBeNull();
    const finalIds = final!.map((m) => m.id);
    expect([...finalIds].sort((a, b) => a - b)).toEqual(finalIds);
    // The rollback happened and was announced.
    expect(clients[0]!.epoch).not.toBe(firstEpoch);
    // No id ever named two messages, whatever any client was told at any time.
    const textOf = new Map<number, string>();
    for (const c of clients)
      for (const [id, text] of c.told) {
        expect([id, textOf.get(id) ?? text]).toEqual([id, text]);
        textOf.set(id, text);
      }
    // Each text at most once, and every acknowledged message is there with its id.
    const texts = final!.map((m) => m.text);
    expect(new Set(texts).size).toBe(texts.length);
    const byId = new Map(final!.map((m) => [m.id, m.text]));
    for (const c of clients) for (const a of c.acked) expect([a.id, byId.get(a.id)]).toEqual([a.id, a.text]);
    // Every client's live view (events plus its reloads) ends as the room is.
    const expected = final!.map((m) => `${m.id}|${m.text}`);
    const deadline = Date.now() + 10_000;
    const viewOf = (c: RoomClient) => [...c.view.entries()].sort(([a], [b]) => a - b).map(([id, t]) => `${id}|${t}`);
    while (Date.now() < deadline && !clients.every((c) => viewOf(c).join() === expected.join())) await sleep(100);
    for (const c of clients) expect(viewOf(c)).toEqual(expected);
  }, 90_000);

  it('the whole cluster stopped and started again: the instances serve again by themselves', async () => {
    const { nodes } = await startThree({});
    for (const node of cluster.nodes) cluster.signal(node.port, 'SIGTERM');
    await sleep(1500);
    for (const node of cluster.nodes) cluster.restart(node.port);
    const restartedAt = Date.now();
    // Nothing was persisted (--save ''): rooms are gone, the service is not.
    let roomId = '';
    while (!roomId && Date.now() - restartedAt < 30_000) {
      const response = await fetch(`${nodes[1]!.url}/api/rooms`, { method: 'POST' }).catch(() => null);
      if (response?.status === 201) roomId = ((await response.json()) as { roomId: string }).roomId;
      else await sleep(250);
    }
    expect(roomId).not.toBe('');
    const clients = await clientsIn(nodes, roomId);
    const loops = clients.map((c) => c.sendLoop(20));
    await sleep(1000);
    for (const c of clients) c.stop();
    await Promise.all(loops);
    const final = await clients[0]!.listAll();
    const expected = final!.map((m) => `${m.id}|${m.text}`);
    expect(expected.length).toBeGreaterThan(3);
    const deadline = Date.now() + 5000;
    const viewOf = (c: RoomClient) => [...c.view.entries()].sort(([a], [b]) => a - b).map(([id, t]) => `${id}|${t}`);
    while (Date.now() < deadline && !clients.every((c) => viewOf(c).join() === expected.join())) await sleep(100);
    for (const c of clients) expect(viewOf(c)).toEqual(expected);
  }, 90_000);
});
