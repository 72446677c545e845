import { CleanupService } from '../src/cleanup/cleanup.service';
import { FakeClock } from '../src/common/clock';
import { RedisServer, startRedis } from './support/instances';
import { count, sample, scrape } from './support/prometheus';
import { join, nextEvent, startServer, TestServer } from './support/test-server';

/** GET /api/metrics on the real app: every figure moves with what real clients do. */
describe('metrics (STORE=memory)', () => {
  let server: TestServer;
  const clock = new FakeClock(Date.now());
  beforeAll(async () => {
    server = await startServer({ ROOM_IDLE_TIMEOUT_SEC: '60' }, clock);
  });
  afterAll(() => server.close());

  it('moves rooms, members, connections, accepted and rejected sends, deliveries and ack latency with real traffic', async () => {
    const before = await scrape(server.url);
    expect(sample(before, 'tinychat_store_up')).toBe(1);
    // Default Node process metrics come along.
    expect(sample(before, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(before, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

    const { roomId } = await server.createRoom();
    const ann = await server.connect();
    const bob = await server.connect();
    const { userToken } = await join(ann, roomId, 'ann');
    await join(bob, roomId, 'bob');
    const delivered = nextEvent(bob, 'message:new');
    expect(await ann.emitWithAck('message:send', { roomId, userToken, text: 'hello' })).toMatchObject({ ok: true });
    await delivered;
    expect(await ann.emitWithAck('message:send', { roomId, userToken, text: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'MESSAGE_EMPTY' },
    });
    expect(await ann.emitWithAck('message:send', { roomId, userToken: 'x'.repeat(43), text: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_INVALID' },
    });

    const after = await scrape(server.url);
    const delta = (name: string, labels: Record<string, string> = {}) =>
      count(after, name, labels) - count(before, name, labels);
    expect(delta('tinychat_rooms_live')).toBe(1);
    expect(delta('tinychat_members_joined')).toBe(2);
    expect(delta('tinychat_connections')).toBe(2);
    expect(delta('tinychat_messages_accepted_total')).toBe(1);
    expect(delta('tinychat_messages_rejected_total', { code: 'MESSAGE_EMPTY' })).toBe(1);
    expect(delta('tinychat_messages_rejected_total', { code: 'TOKEN_INVALID' })).toBe(1);
    // Both sockets are in the room on this instance: one message, two deliveries.
    expect(delta('tinychat_message_deliveries_total')).toBe(2);
    expect(delta('tinychat_message_send_ack_seconds_count', { outcome: 'ok' })).toBe(1);
    expect(delta('tinychat_message_send_ack_seconds_count', { outcome: 'error' })).toBe(2);
    expect(delta('tinychat_message_send_ack_seconds_bucket', { outcome: 'ok', le: '+Inf' })).toBe(1);
    expect(delta('tinychat_chat_events_total', { event: 'room:join', outcome: 'ok' })).toBe(2);

    bob.disconnect();
    let now = after;
    const deadline = Date.now() + 3000;
    while (count(now, 'tinychat_connections') !== count(before, 'tinychat_connections') + 1 && Date.now() < deadline) {
      now = await scrape(server.url);
    }
    expect(count(now, 'tinychat_connections')).toBe(count(before, 'tinychat_connections') + 1);
  });

  it('counts cleanup runs and the rooms they close by reason', async () => {
    const before = await scrape(server.url);
    const { roomId } = await server.createRoom();
    const watcher = await server.connect();
    await join(watcher, roomId, 'watcher');
    const closed = nextEvent(watcher, 'room:closed');
    clock.advance(61_000);
    await server.app.get(CleanupService).runOnce();
    expect(await closed).toEqual({ roomId, reason: 'idle' });

    const after = await scrape(server.url);
    expect(count(after, 'tinychat_cleanup_runs_total', { result: 'ok' })).toBe(
      count(before, 'tinychat_cleanup_runs_total', { result: 'ok' }) + 1,
    );
    // Every room of this suite was idle for 61 s: all of them closed, none is live any more.
    expect(count(after, 'tinychat_rooms_closed_total', { reason: 'idle' })).toBeGreaterThanOrEqual(
      count(before, 'tinychat_rooms_closed_total', { reason: 'idle' }) + 1,
    );
    expect(sample(after, 'tinychat_rooms_live')).toBe(0);
    expect(sample(after, 'tinychat_members_joined')).toBe(0);
  });
});

describe('metrics behind METRICS_TOKEN', () => {
  const token = 'metrics-token-for-the-tests-0123';
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ METRICS_TOKEN: token });
  });
  afterAll(() => server.close());

  it('answers 401 UNAUTHORIZED without the bearer token and the exposition with it', async () => {
    const refused: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: token },
    ];
    for (const headers of refused) {
      const response = await fetch(`${server.url}/api/metrics`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.json()).toEqual({
        statusCode: 401,
        code: 'UNAUTHORIZED',
        message: 'Missing or wrong metrics token',
      });
    }
    const ok = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(sample(await ok.text(), 'tinychat_draining')).toBe(0);
  });
});

describe('metrics and readiness with STORE=redis', () => {
  let redis: RedisServer;
  let server: TestServer;
  beforeAll(async () => {
    redis = await startRedis();
    server = await startServer({ STORE: 'redis', REDIS_URL: redis.url, REDIS_KEY_PREFIX: `ops${Date.now()}:` });
  }, 30_000);
  let redisStopped = false;
  afterAll(async () => {
    // Closing the app while Redis is away would wait for its reconnects: bring it back first.
    if (redisStopped) await redis.start();
    await server.close();
    await redis.stop();
  }, 20_000);

  const ready = async () => {
    const response = await fetch(`${server.url}/api/health/ready`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('times store scripts, counts their errors, and fails readiness while Redis is down', async () => {
    expect(await ready()).toEqual({
      status: 200,
      body: expect.objectContaining({
        status: 'ok',
        info: { store: { status: 'up', type: 'redis' }, accepting: { status: 'up' } },
      }),
    });
    const { roomId } = await server.createRoom();
    const client = await server.connect();
    const { userToken } = await join(client, roomId, 'ann');
    expect(await client.emitWithAck('message:send', { roomId, userToken, text: 'stored in redis' })).toMatchObject({
      ok: true,
    });
    const up = await scrape(server.url);
    expect(count(up, 'tinychat_redis_command_duration_seconds_count', { command: 'tcAppendMessage' })).toBe(1);
    expect(count(up, 'tinychat_redis_command_duration_seconds_count', { command: 'tcAddMember' })).toBe(1);
    expect(sample(up, 'tinychat_rooms_live', { store: 'redis' })).toBe(1);
    expect(sample(up, 'tinychat_members_joined')).toBe(1);

    await redis.stop();
    redisStopped = true;
    expect(await client.emitWithAck('message:send', { roomId, userToken, text: 'lost cause' })).toMatchObject({
      ok: false,
      error: { code: 'STORE_UNAVAILABLE' },
    });
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      statusCode: 503,
      code: 'STORE_UNAVAILABLE',
      status: 'error',
      error: { store: { status: 'down', type: 'redis' } },
    });
    // message:send authenticates inside the append script: its error is counted under tcAppendMessage.
    // Liveness keeps its body and stays 200: the process is fine, only the store is away.
    expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({
      status: 'ok',
      store: { type: 'redis', available: false },
      bootId: expect.any(String),
    });
    const failing = await scrape(server.url);
    expect(
      count(failing, 'tinychat_redis_command_errors_total', { command: 'tcAppendMessage' }),
    ).toBeGreaterThanOrEqual(1);
    expect(count(failing, 'tinychat_messages_rejected_total', { code: 'STORE_UNAVAILABLE' })).toBe(1);
    expect(sample(failing, 'tinychat_store_up')).toBe(0);
    // Unknown is not zero: the store gauges keep their last known value.
    expect(sample(failing, 'tinychat_rooms_live')).toBe(1);

    await redis.start();
    redisStopped = false;
    const deadline = Date.now() + 15_000;
    while ((await ready()).status !== 200) {
      if (Date.now() > deadline) throw new Error('readiness did not come back');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sample(await scrape(server.url), 'tinychat_store_up')).toBe(1);
  }, 40_000);
});
