import { FakeClock } from '../src/common/clock';
import { collectMessages, join, nextEvent, startServer, TestServer } from './support/test-server';

describe('room lifecycle: history cap, room cap, idle and max-age expiry', () => {
  describe('with a fake clock', () => {
    let server: TestServer;
    let clock: FakeClock;
    beforeEach(async () => {
      clock = new FakeClock(Date.now());
      server = await startServer(
        {
          HISTORY_LIMIT: '5',
          MAX_ROOMS: '2',
          ROOM_IDLE_TIMEOUT_SEC: '60',
          ROOM_MAX_TTL_SEC: '100',
          CLEANUP_INTERVAL_SEC: '1',
        },
        clock,
      );
    });
    afterEach(async () => {
      await server.close();
    });

    it('keeps the last HISTORY_LIMIT messages and flags truncation', async () => {
      const { roomId } = await server.createRoom();
      const client = await server.connect();
      const { userToken } = await join(client, roomId, 'h');
      for (let i = 1; i <= 8; i++) await client.emitWithAck('message:send', { roomId, userToken, text: `m${i}` });
      const all = await client.emitWithAck('message:list', { roomId, userToken, afterId: 0 });
      expect(all).toMatchObject({ ok: true, data: { truncated: true } });
      expect(all.ok && all.data.messages.map((m) => m.id)).toEqual([4, 5, 6, 7, 8]);
      expect(await client.emitWithAck('message:list', { roomId, userToken, afterId: 3 })).toMatchObject({
        ok: true,
        data: { truncated: false },
      });
      const late = await server.connect();
      const lateJoin = await join(late, roomId, 'late');
      expect(lateJoin.messages.map((m) => m.text)).toEqual(['m4', 'm5', 'm6', 'm7', 'm8']);
    });

    it('refuses a room past MAX_ROOMS with 429 ROOM_LIMIT_REACHED and Retry-After; expiry frees the slot', async () => {
      await server.createRoom();
      await server.createRoom();
      const refused = await fetch(`${server.url}/api/rooms`, { method: 'POST' });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('60');
      expect(await refused.json()).toEqual({
        statusCode: 429,
        code: 'ROOM_LIMIT_REACHED',
        message: expect.any(String),
      });
      clock.advance(60_000);
      const created = await fetch(`${server.url}/api/rooms`, { method: 'POST' });
      expect(created.status).toBe(201);
    });

    it('an idle room answers ROOM_NOT_FOUND at once, then cleanup sends room:closed idle', async () => {
      const { roomId } = await server.createRoom();
      const client = await server.connect();
      const { userToken } = await join(client, roomId, 'idler');
      const closed = nextEvent(client, 'room:closed', 5000);
      clock.advance(60_000);
      expect((await fetch(`${server.url}/api/rooms/${roomId}`)).status).toBe(404);
      expect(await client.emitWithAck('message:send', { roomId, userToken, text: 'late' })).toMatchObject({
        ok: false,
        error: { code: 'ROOM_NOT_FOUND' },
      });
      expect(await closed).toEqual({ roomId, reason: 'idle' });
    });

    it('a busy room still dies at ROOM_MAX_TTL_SEC with room:closed ttl, and its sockets leave the room', async () => {
      const { roomId } = await server.createRoom();
      const client = await server.connect();
      const { userToken } = await join(client, roomId, 'busy');
      for (const step of [50_000, 45_000]) {
        clock.advance(step);
        expect(await client.emitWithAck('message:send', { roomId, userToken, text: 'alive' })).toMatchObject({
          ok: true,
        });
      }
      const closed = nextEvent(client, 'room:closed', 5000);
      clock.advance(5_000);
      expect(await closed).toEqual({ roomId, reason: 'ttl' });
    });
  });

  it('with the real clock: ROOM_IDLE_TIMEOUT_SEC=1 closes a silent room within two cleanup intervals', async () => {
    const server = await startServer({ ROOM_IDLE_TIMEOUT_SEC: '1', CLEANUP_INTERVAL_SEC: '1' });
    try {
      const { roomId } = await server.createRoom();
      const client = await server.connect();
      await join(client, roomId, 'sleeper');
      const inbox = collectMessages(client);
      const started = Date.now();
      expect(await nextEvent(client, 'room:closed', 4000)).toEqual({ roomId, reason: 'idle' });
      expect(Date.now() - started).toBeLessThan(3500);
      expect(inbox).toEqual([]);
      expect((await fetch(`${server.url}/api/rooms/${roomId}`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
