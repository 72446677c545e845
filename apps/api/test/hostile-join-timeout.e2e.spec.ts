import { io } from 'socket.io-client';
import { connectTo, startInstance, type ApiInstance, type ChatClient } from './support/instances';
import { count, scrape } from './support/prometheus';
import { storeEnv } from './support/test-server';

/** Resolves with the disconnect reason, or null if the client is still connected after `boundMs`. */
function disconnectedWithin(client: ChatClient, boundMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), boundMs);
    client.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

describe.each(['memory', 'redis'])('JOIN_TIMEOUT_SEC (built server, %s store)', (store) => {
  let instance: ApiInstance;
  beforeAll(async () => {
    instance = await startInstance(storeEnv(store, { JOIN_TIMEOUT_SEC: '2' }));
  }, 20_000);
  afterAll(() => instance.kill());

  it('closes socket.io connections that join no room in time (WebSocket and long-polling), keeps those that joined', async () => {
    const { roomId } = (await (await fetch(`${instance.url}/api/rooms`, { method: 'POST' })).json()) as {
      roomId: string;
    };
    const idle = await connectTo(instance.url, '127.0.0.2');
    const polling: ChatClient = io(instance.url, { transports: ['polling'], reconnection: false, forceNew: true });
    await new Promise((resolve) => polling.once('connect', () => resolve(undefined)));
    const member = await connectTo(instance.url, '127.0.0.3');
    expect(await member.emitWithAck('room:join', { roomId, nick: 'member' })).toMatchObject({ ok: true });
    const started = Date.now();
    const [idleReason, pollingReason, memberReason] = await Promise.all([
      disconnectedWithin(idle, 5000),
      disconnectedWithin(polling, 5000),
      disconnectedWithin(member, 4000),
    ]);
    expect(idleReason).toBe('io server disconnect');
    expect(pollingReason).toBe('io server disconnect');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(memberReason).toBeNull();
    member.disconnect();
    expect(
      count(await scrape(instance.url), 'tinychat_connections_refused_total', { reason: 'join_timeout' }),
    ).toBeGreaterThanOrEqual(2);
  }, 20_000);
});
