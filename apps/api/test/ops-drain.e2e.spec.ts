import type { Ack, SendMessageResult, ServerRestartingEvent } from '@tiny-chat/shared-types';
import { request } from 'node:http';
import { io } from 'socket.io-client';
import { Clock } from '../src/common/clock';
import { DrainService } from '../src/health/drain.service';
import { SocketObserver } from '../src/chat/socket-observer';
import { RoomRepository } from '../src/rooms/room-repository';
import { count, sample, scrape } from './support/prometheus';
import { ChatClient, join, startServer, TestServer, waitFor } from './support/test-server';

/** A new socket.io connection's outcome: 'connected', or the message of its connect_error. */
function handshake(url: string, transport: 'websocket' | 'polling'): Promise<string> {
  const client = io(url, { transports: [transport], reconnection: false, forceNew: true });
  return new Promise<string>((resolve) => {
    client.once('connect', () => resolve('connected'));
    client.once('connect_error', (error) => resolve(error.message));
  }).finally(() => client.close());
}

/** Status and headers as sent (fetch hides Connection), and the JSON body. */
function rawRequest(
  url: string,
  method: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

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

    await expectReadinessShuttingDown(server.url);
    const create = await fetch(`${server.url}/api/rooms`, { method: 'POST' });
    expect(create.status).toBe(503);
    expect(create.headers.get('retry-after')).toBe('1');
    expect(await create.json()).toEqual({
      statusCode: 503,
      code: 'SHUTTING_DOWN',
      message: expect.stringContaining('shutting down'),
    });
    expect((await fetch(`${server.url}/api/rooms/${roomId}`)).status).toBe(503);
    // Liveness and metrics keep answering.
    expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({
      status: 'ok',
      store: { type: 'memory', available: true },
      bootId: expect.any(String),
    });
    expect(sample(await scrape(server.url), 'tinychat_draining')).toBe(1);
    // A new socket.io handshake is refused.
    expect(await handshake(server.url, 'websocket')).toBe('SHUTTING_DOWN');

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

/**
 * One send held in the store keeps the drain open past its cut-off with every socket still connected: what each
 * kind of request gets meanwhile. The tests run in order on one drain.
 */
describe('the drain refuses with SHUTTING_DOWN', () => {
  let server: TestServer;
  let roomId: string;
  let ann: ChatClient; // on WebSocket
  let bob: ChatClient; // on long-polling
  let annToken: string;
  let bobToken: string;
  let release: () => void = () => undefined;
  let held: Promise<Ack<SendMessageResult>>;
  let drained: Promise<void>;
  let cutOff: jest.SpyInstance;
  const bobHeard: ServerRestartingEvent[] = [];

  beforeAll(async () => {
    server = await startServer({ SHUTDOWN_GRACE_SEC: '10' });
    ({ roomId } = await server.createRoom());
    ann = await server.connect();
    bob = io(server.url, { transports: ['polling'], reconnection: false, forceNew: true });
    server.clients.push(bob);
    await new Promise<void>((resolve, reject) => {
      bob.once('connect', resolve);
      bob.once('connect_error', reject);
    });
    bob.on('server:restarting', (event) => bobHeard.push(event));
    annToken = (await join(ann, roomId, 'ann')).userToken;
    bobToken = (await join(bob, roomId, 'bob')).userToken;

    const rooms = server.app.get(RoomRepository);
    const append = rooms.appendMessage.bind(rooms);
    const gate = new Promise<void>((resolve) => (release = resolve));
    jest.spyOn(rooms, 'appendMessage').mockImplementationOnce(async (...args) => {
      await gate;
      return append(...args);
    });
    const observer = server.app.get(SocketObserver);
    cutOff = jest.spyOn(observer, 'stopAdmitting');
    held = ann
      .timeout(9000)
      .emitWithAck('message:send', { roomId, userToken: annToken, text: 'held', clientMsgId: 'a1' });
    await waitFor(() => observer.pending === 1, 5000, 'the held send');
    drained = server.app.get(DrainService).drain(Date.now() + 9000);
  });
  afterAll(async () => {
    release();
    await drained;
    await server.close();
  });

  it('readiness says SHUTTING_DOWN while draining', async () => {
    expect(await expectReadinessShuttingDown(server.url)).toMatchObject({ info: { store: { status: 'up' } } });
  });

  it('answers REST during the drain with 503 SHUTTING_DOWN, Retry-After: 1 and Connection: close', async () => {
    for (const [method, path] of [
      ['POST', '/api/rooms'],
      ['GET', `/api/rooms/${roomId}`],
    ]) {
      const response = await rawRequest(`${server.url}${path}`, method ?? 'GET');
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.headers['connection']).toBe('close');
      expect(response.body).toEqual({
        statusCode: 503,
        code: 'SHUTTING_DOWN',
        message: 'This server is shutting down; try again shortly',
      });
    }
  });

  it('refuses a handshake during the drain with connect_error SHUTTING_DOWN', async () => {
    expect(await handshake(server.url, 'websocket')).toBe('SHUTTING_DOWN');
    expect(await handshake(server.url, 'polling')).toBe('SHUTTING_DOWN');
  });

  it('answers a message:send after the drain cut-off with SHUTTING_DOWN instead of dropping it', async () => {
    await waitFor(() => cutOff.mock.calls.length > 0, 5000, 'the cut-off');
    const shuttingDown = {
      ok: false,
      error: { code: 'SHUTTING_DOWN', message: 'This server is shutting down; try again shortly', retryAfterMs: 1000 },
    };
    const before = await scrape(server.url);
    const send = await ann
      .timeout(2000)
      .emitWithAck('message:send', { roomId, userToken: annToken, text: 'late', clientMsgId: 'a2' });
    expect(send).toEqual(shuttingDown);
    // Every client event is answered the same way, and none of them counts as work in flight.
    expect(await ann.timeout(2000).emitWithAck('message:list', { roomId, userToken: annToken, afterId: 0 })).toEqual(
      shuttingDown,
    );
    expect(await ann.timeout(2000).emitWithAck('room:join', { roomId, userToken: annToken })).toEqual(shuttingDown);
    expect(server.app.get(SocketObserver).pending).toBe(1);
    const labels = { event: 'message:send', outcome: 'SHUTTING_DOWN' };
    expect(count(await scrape(server.url), 'tinychat_chat_events_total', labels)).toBe(
      count(before, 'tinychat_chat_events_total', labels) + 1,
    );
  });

  it('keeps answering the long-polling requests of a session opened before the drain', async () => {
    expect(bob.connected).toBe(true);
    expect(bobHeard).toHaveLength(1);
    const send = await bob
      .timeout(2000)
      .emitWithAck('message:send', { roomId, userToken: bobToken, text: 'late too', clientMsgId: 'b1' });
    expect(send).toMatchObject({ ok: false, error: { code: 'SHUTTING_DOWN' } });
  });

  it('acks the send held across the cut-off, stores none of the refused ones, then lets the sockets go', async () => {
    release();
    expect(await held).toMatchObject({ ok: true, data: { message: { id: 1, text: 'held', clientMsgId: 'a1' } } });
    await drained;
    expect(ann.connected || bob.connected).toBe(false);
    const rooms = server.app.get(RoomRepository);
    const page = await rooms.listMessages(roomId, 0, server.app.get(Clock).now());
    expect(page.messages.map((m) => m.clientMsgId)).toEqual(['a1']);
  });
});

/** Readiness answers 503 SHUTTING_DOWN with the accepting check down; resolves to the body for further checks. */
async function expectReadinessShuttingDown(url: string): Promise<unknown> {
  const ready = await fetch(`${url}/api/health/ready`);
  expect(ready.status).toBe(503);
  const body: unknown = await ready.json();
  expect(body).toMatchObject({
    statusCode: 503,
    code: 'SHUTTING_DOWN',
    message: 'Not ready: shutting down',
    status: 'error',
    error: { accepting: { status: 'down' } },
  });
  return body;
}
