import { ApiInstance, ChatClient, connectTo, RedisServer, startInstance, startRedis } from './support/instances';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nextEvent, waitFor } from './support/test-server';

/** Redis goes away and comes back: requests fail fast with STORE_UNAVAILABLE, then the API recovers by itself. */
describe('Redis outage', () => {
  let redis: RedisServer;
  let api: ApiInstance;
  const clients: ChatClient[] = [];
  beforeAll(async () => {
    redis = await startRedis();
    api = await startInstance({ STORE: 'redis', REDIS_URL: redis.url });
  }, 30_000);
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await api.kill('SIGKILL');
    await redis.stop();
  });
  const connect = async () => {
    const client = await connectTo(api.url);
    clients.push(client);
    return client;
  };
  const health = async () => (await (await fetch(`${api.url}/api/health`)).json()) as { store: { available: boolean } };

  it('fails fast with STORE_UNAVAILABLE while Redis is down and recovers without a restart', async () => {
    const { roomId } = (await (await fetch(`${api.url}/api/rooms`, { method: 'POST' })).json()) as { roomId: string };
    const client = await connect();
    const joined = await client.emitWithAck('room:join', { roomId, nick: 'before' });
    expect(joined.ok).toBe(true);
    const userToken = joined.ok ? joined.data.userToken : '';
    expect(await client.emitWithAck('message:send', { roomId, userToken, text: 'before the outage' })).toMatchObject({
      ok: true,
    });
    expect(await health()).toMatchObject({ store: { type: 'redis', available: true } });

    await redis.stop();
    const started = Date.now();
    const send = await client.emitWithAck('message:send', { roomId, userToken, text: 'during the outage' });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(send).toEqual({ ok: false, error: { code: 'STORE_UNAVAILABLE', message: expect.any(String) } });
    const other = await connect();
    expect(await other.emitWithAck('room:join', { roomId, nick: 'during' })).toMatchObject({
      ok: false,
      error: { code: 'STORE_UNAVAILABLE' },
    });
    const create = await fetch(`${api.url}/api/rooms`, { method: 'POST' });
    expect(create.status).toBe(503);
    expect(await create.json()).toEqual({ statusCode: 503, code: 'STORE_UNAVAILABLE', message: expect.any(String) });
    expect(Date.now() - started).toBeLessThan(6000);
    expect(await health()).toMatchObject({ status: 'ok', store: { available: false } });

    await redis.start();
    const deadline = Date.now() + 15_000;
    while (!(await health()).store.available) {
      if (Date.now() > deadline) throw new Error('store did not come back');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Redis restarted empty (no persistence configured here): a new room works end to end, pub/sub included.
    const fresh = await fetch(`${api.url}/api/rooms`, { method: 'POST' });
    expect(fresh.status).toBe(201);
    const { roomId: freshRoom } = (await fresh.json()) as { roomId: string };
    const a = await connect();
    const b = await connect();
    const aJoin = await a.emitWithAck('room:join', { roomId: freshRoom, nick: 'a' });
    expect(await b.emitWithAck('room:join', { roomId: freshRoom, nick: 'b' })).toMatchObject({ ok: true });
    const delivered = nextEvent(b, 'message:new', 5000);
    const sent = await a.emitWithAck('message:send', {
      roomId: freshRoom,
      userToken: aJoin.ok ? aJoin.data.userToken : '',
      text: 'after the outage',
    });
    expect(sent).toMatchObject({ ok: true, data: { message: { id: 1 } } });
    expect(await delivered).toMatchObject({ id: 1, text: 'after the outage' });
    expect(api.process.exitCode).toBeNull();
  }, 60_000);
});

/** With appendfsync always, an acknowledged message survives redis-server being killed with -9 under load. */
describe('Redis crash under load with appendfsync always', () => {
  it('loses no acknowledged message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tc-aof-'));
    const redis = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]);
    const api = await startInstance({ STORE: 'redis', REDIS_URL: redis.url, ROOM_IDLE_TIMEOUT_SEC: '600' });
    const clients: ChatClient[] = [];
    try {
      const { roomId } = (await (await fetch(`${api.url}/api/rooms`, { method: 'POST' })).json()) as { roomId: string };
      const senders = await Promise.all([connectTo(api.url), connectTo(api.url), connectTo(api.url)]);
      clients.push(...senders);
      const tokens: string[] = [];
      for (const [i, client] of senders.entries()) {
        const ack = await client.emitWithAck('room:join', { roomId, nick: `s${i}` });
        tokens.push(ack.ok ? ack.data.userToken : '');
      }
      const acked = new Map<number, string>();
      let failures = 0;
      let stop = false;
      const loops = senders.map(async (client, i) => {
        for (let n = 0; !stop && n < 5000; n++) {
          const ack = await client.emitWithAck('message:send', { roomId, userToken: tokens[i]!, text: `${i}:${n}` });
          if (ack.ok) acked.set(ack.data.message.id, ack.data.message.text);
          else failures++;
          if (!ack.ok) await new Promise((r) => setTimeout(r, 20));
        }
      });
      await waitFor(() => acked.size >= 100, 10_000, 'a burst of acknowledged sends');
      await redis.stop(); // SIGKILL mid-burst
      await new Promise((r) => setTimeout(r, 300));
      stop = true;
      await Promise.all(loops);
      expect(failures).toBeGreaterThan(0);
      await redis.start();
      const reader = await connectTo(api.url);
      clients.push(reader);
      let page: Awaited<ReturnType<ChatClient['emitWithAck']>> | undefined;
      const deadline = Date.now() + 15_000;
      for (;;) {
        page = await reader.emitWithAck('message:list', { roomId, userToken: tokens[0]!, afterId: 0 });
        if (page.ok || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(page?.ok).toBe(true);
      const stored = new Map(
        (page && page.ok && 'messages' in page.data ? page.data.messages : []).map((m) => [m.id, m.text]),
      );
      expect(acked.size).toBeGreaterThanOrEqual(100);
      const lost = [...acked].filter(([id, text]) => stored.get(id) !== text);
      expect(lost).toEqual([]);
    } finally {
      for (const client of clients) client.disconnect();
      await api.kill('SIGKILL');
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
