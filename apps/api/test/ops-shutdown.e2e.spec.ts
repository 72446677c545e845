import type { Ack, Message, SendMessageResult, ServerRestartingEvent } from '@tiny-chat/shared-types';
import { ApiInstance, ChatClient, connectTo, RedisServer, startInstance, startRedis } from './support/instances';
import { waitFor } from './support/test-server';

const GRACE_SEC = 5;
const CLIENTS = 6;
/** Sends each client keeps on the wire at once. */
const WINDOW = 3;

/** One person of the burst: sends without pause, moves to the other instance when told to, never gives up a message. */
class Sender {
  readonly acked = new Map<string, Message>();
  readonly restarting: ServerRestartingEvent[] = [];
  /** Each client's events in order, to check it heard server:restarting before it was let go. */
  readonly timeline: string[] = [];
  private next = 0;
  private socket!: ChatClient;
  /** Settles once this sender is on the other instance (after the leaving one let it go). */
  private moved!: Promise<void>;
  private userToken = '';

  constructor(
    readonly nick: string,
    private readonly roomId: string,
  ) {}

  async start(url: string, fallbackUrl: string): Promise<void> {
    this.socket = await connectTo(url);
    const joined = await this.socket.emitWithAck('room:join', { roomId: this.roomId, nick: this.nick });
    if (!joined.ok) throw new Error(`join failed: ${joined.error.code}`);
    this.userToken = joined.data.userToken;
    this.socket.on('server:restarting', (event) => {
      this.restarting.push(event);
      this.timeline.push('restarting');
    });
    this.moved = new Promise<void>((resolve, reject) => {
      this.socket.once('disconnect', (reason) => {
        this.timeline.push(`disconnect:${reason}`);
        this.moveTo(fallbackUrl).then(resolve, reject);
      });
    });
  }

  /**
   * Keeps WINDOW sends in flight until `until` says stop; a send answered SHUTTING_DOWN, or not answered at all, is
   * sent again (same clientMsgId) once on the other instance.
   */
  async burst(until: () => boolean): Promise<void> {
    await Promise.all(
      Array.from({ length: WINDOW }, async () => {
        while (!until()) {
          const clientMsgId = `${this.nick}-${this.next++}`;
          while (!(await this.sendOnce(clientMsgId))) await this.moved;
        }
      }),
    );
  }

  get token(): string {
    return this.userToken;
  }

  get current(): ChatClient {
    return this.socket;
  }

  private async sendOnce(clientMsgId: string): Promise<boolean> {
    const socket = this.socket;
    if (!socket.connected) return false;
    let ack: Ack<SendMessageResult>;
    try {
      ack = await socket.timeout(5000).emitWithAck('message:send', {
        roomId: this.roomId,
        userToken: this.userToken,
        text: `text of ${clientMsgId}`,
        clientMsgId,
      });
    } catch {
      return false; // disconnected before the ack: unacknowledged, sent again after the move
    }
    if (ack.ok) {
      this.acked.set(clientMsgId, ack.data.message);
      return true;
    }
    // After the drain's cut-off the leaving instance answers SHUTTING_DOWN: sent again after the move.
    if (ack.error.code === 'SHUTTING_DOWN') return false;
    throw new Error(`send refused: ${ack.error.code}`);
  }

  private async moveTo(url: string): Promise<void> {
    this.socket = await connectTo(url);
    const rejoined = await this.socket.emitWithAck('room:join', { roomId: this.roomId, userToken: this.userToken });
    if (!rejoined.ok) throw new Error(`rejoin failed: ${rejoined.error.code}`);
  }
}

/** SIGTERM to one of two real instances on one real Redis while every client is sending as fast as it can. */
describe('SIGTERM during a burst of sends (STORE=redis, two instances)', () => {
  let redis: RedisServer;
  let leaving: ApiInstance;
  let staying: ApiInstance;
  const senders: Sender[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    const env = {
      STORE: 'redis',
      REDIS_URL: redis.url,
      SHUTDOWN_GRACE_SEC: String(GRACE_SEC),
      HISTORY_LIMIT: '100000',
    };
    [leaving, staying] = await Promise.all([startInstance(env), startInstance(env)]);
  }, 30_000);
  afterAll(async () => {
    for (const sender of senders) sender.current.disconnect();
    await leaving.kill('SIGKILL');
    await staying.kill('SIGKILL');
    await redis.stop();
  });

  it('acknowledges and keeps every message, tells every client to move, fails readiness, and exits 0 within the grace period', async () => {
    const { roomId } = (await (await fetch(`${leaving.url}/api/rooms`, { method: 'POST' })).json()) as {
      roomId: string;
    };
    for (let i = 0; i < CLIENTS; i++) {
      const sender = new Sender(`sender${i}`, roomId);
      await sender.start(leaving.url, staying.url);
      senders.push(sender);
    }
    let stop = false;
    const bursts = senders.map((s) => s.burst(() => stop));
    await waitFor(() => senders.every((s) => s.acked.size >= 20), 10_000, 'the burst to get going');

    const exited = new Promise<{ code: number | null; ms: number }>((resolve) => {
      const t0 = Date.now();
      leaving.process.once('exit', (code) => resolve({ code, ms: Date.now() - t0 }));
    });
    const ackedBeforeSignal = senders.reduce((n, s) => n + s.acked.size, 0);
    leaving.process.kill('SIGTERM');
    // Readiness fails at once while the instance is still answering.
    const readiness: number[] = [];
    while (leaving.process.exitCode === null && !readiness.includes(503)) {
      const response = await fetch(`${leaving.url}/api/health/ready`).catch(() => null);
      if (response) readiness.push(response.status);
    }
    expect(readiness).toContain(503);

    const { code, ms } = await exited;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(GRACE_SEC * 1000);
    // Everybody is on the other instance and keeps chatting there.
    const onStaying = senders.map((s) => s.acked.size);
    await waitFor(
      () => senders.every((s, i) => s.acked.size >= (onStaying[i] ?? 0) + 10),
      15_000,
      'sends on the other instance',
    );
    stop = true;
    await Promise.all(bursts);

    for (const sender of senders) {
      expect(sender.restarting).toHaveLength(1);
      expect(sender.restarting[0]?.reconnectAfterMs).toBeGreaterThanOrEqual(250);
      expect(sender.timeline.slice(0, 2)).toEqual(['restarting', 'disconnect:io server disconnect']);
    }
    const acked = senders.flatMap((s) => [...s.acked.values()]);
    expect(acked.length).toBeGreaterThan(ackedBeforeSignal);

    // The other instance has every acknowledged message, with the id and text the ack gave, once.
    const reader = senders[0] as Sender;
    const list = await reader.current.emitWithAck('message:list', { roomId, userToken: reader.token, afterId: 0 });
    if (!list.ok) throw new Error(`list failed: ${list.error.code}`);
    expect(list.data.truncated).toBe(false);
    const stored = new Map(list.data.messages.map((m) => [m.id, m]));
    expect(stored.size).toBe(list.data.messages.length);
    for (const message of acked) expect(stored.get(message.id)).toEqual(message);
    const storedClientIds = list.data.messages.map((m) => m.clientMsgId);
    expect(new Set(storedClientIds).size).toBe(storedClientIds.length);
  }, 90_000);
});
