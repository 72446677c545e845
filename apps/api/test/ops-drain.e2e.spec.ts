import type { ServerRestartingEvent } from '@tiny-chat/shared-types';
import { io } from 'socket.io-client';
import { DrainService } from '../src/health/drain.service';
import { sample, scrape } from './support/prometheus';
import { join, startServer, TestServer } from './support/test-server';

/** The drain that SIGTERM starts, run on the real app in-process: what clients and probes see meanwhile. */
describe('drain (graceful shutdown) in-process', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ SHUTDOWN_GRACE_SEC: '10' });
  });
  afterAll(() => server.close());

  it('fails readiness, refuses new REST work and handshakes, tells clients to reconnect and acks every send in flight', async () => {
    const { roomId } = await server.createRoom();
    const ann = await server.connect();
    const bob = await server.connect();
    const { userToken } = await join(ann, roomId, 'ann');
    await join(bob, roomId, 'bob');
    expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(200);

    const restarting: ServerRestartingEvent[] = [];
    const events: string[] = [];
    for (const client of [ann, bob]) {
      client.on('server:restarting', (event) => {
        restarting.push(event);
        events.push('restarting');
      });
      client.on('disconnect', (reason) => events.push(`disconnect:${reason}`));
    }

    // 50 sends on the wire when the drain starts: each one is acknowledged before the socket is let go.
    const sends = Array.from({ length: 50 }, (_, i) =>
      ann.timeout(5000).emitWithAck('message:send', { roomId, userToken, text: `in flight ${i}` }),
    );
    const drained = server.app.get(DrainService).drain(Date.now() + 8000);

    const ready = await fetch(`${server.url}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      statusCode: 503,
      code: 'STORE_UNAVAILABLE',
      message: 'Not ready: shutting down',
      status: 'error',
      error: { accepting: { status: 'down' } },
    });
    const create = await fetch(`${server.url}/api/rooms`, { method: 'POST' });
    expect(create.status).toBe(503);
    expect(create.headers.get('retry-after')).toBe('1');
    expect(await create.json()).toEqual({
      statusCode: 503,
      code: 'STORE_UNAVAILABLE',
      message: expect.stringContaining('shutting down'),
    });
    expect((await fetch(`${server.url}/api/rooms/${roomId}`)).status).toBe(503);
    // Liveness and metrics keep answering.
    expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({
      status: 'ok',
      store: { type: 'memory', available: true },
    });
    expect(sample(await scrape(server.url), 'tinychat_draining')).toBe(1);
    // A new socket.io handshake is refused.
    const late = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    await expect(
      new Promise((resolve, reject) => {
        late.once('connect', () => resolve('connected'));
        late.once('connect_error', (error) => reject(error));
      }),
    ).rejects.toThrow();
    late.close();

    const acks = await Promise.all(sends);
    expect(acks.every((ack) => ack.ok)).toBe(true);
    expect(acks.map((ack) => (ack.ok ? ack.data.message.id : 0))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await drained;
    expect(ann.connected || bob.connected).toBe(false);
    expect(restarting).toHaveLength(2);
    for (const event of restarting) {
      expect(event.reconnectAfterMs).toBeGreaterThanOrEqual(250);
      expect(event.reconnectAfterMs).toBeLessThanOrEqual(250 + 3000);
    }
    // Told first, let go after: each client hears server:restarting before its disconnect.
    expect(events.filter((e) => e === 'restarting')).toHaveLength(2);
    expect(events.indexOf('disconnect:io server disconnect')).toBeGreaterThan(events.lastIndexOf('restarting'));
  });
});
