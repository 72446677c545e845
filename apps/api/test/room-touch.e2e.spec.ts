import { FakeClock } from '../src/common/clock';
import { join, nextEvent, startServer, storeEnv, TestServer } from './support/test-server';

const SEC = 1000;

describe.each(['memory', 'redis'])('room:touch keeps a room open (%s store)', (store) => {
  let server: TestServer;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock(Date.now());
    server = await startServer(
      storeEnv(store, { ROOM_IDLE_TIMEOUT_SEC: '60', ROOM_MAX_TTL_SEC: '200', CLEANUP_INTERVAL_SEC: '1' }),
      clock,
    );
  });
  afterEach(async () => {
    await server.close();
  });

  async function member(nick: string) {
    const client = await server.connect();
    return { client, ...(await join(client, roomId, nick)) };
  }
  let roomId = '';
  beforeEach(async () => {
    ({ roomId } = await server.createRoom());
  });

  it('moves the idle deadline like a send and answers it; the room outlives its old deadline', async () => {
    const ann = await member('ann');
    const start = clock.now();
    clock.advance(40 * SEC);
    const touched = await ann.client.emitWithAck('room:touch', { roomId, userToken: ann.userToken });
    expect(touched).toEqual({ ok: true, data: { idleExpiresAt: new Date(start + 100 * SEC).toISOString() } });
    clock.advance(50 * SEC);
    const list = await ann.client.emitWithAck('message:list', { roomId, userToken: ann.userToken, afterId: 0 });
    expect(list).toMatchObject({ ok: true });
    const details = await (await fetch(`${server.url}/api/rooms/${roomId}`)).json();
    expect(details.idleExpiresAt).toBe(new Date(start + 100 * SEC).toISOString());
  });

  it('accepts one room:touch per 30 s per member: more get RATE_LIMITED with retryAfterMs and move nothing', async () => {
    const ann = await member('ann');
    const bob = await member('bob');
    const start = clock.now();
    expect(await ann.client.emitWithAck('room:touch', { roomId, userToken: ann.userToken })).toMatchObject({
      ok: true,
    });
    clock.advance(10 * SEC);
    expect(await ann.client.emitWithAck('room:touch', { roomId, userToken: ann.userToken })).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', message: expect.any(String), retryAfterMs: 20 * SEC },
    });
    const details = await (await fetch(`${server.url}/api/rooms/${roomId}`)).json();
    expect(details.idleExpiresAt).toBe(new Date(start + 60 * SEC).toISOString());
    // Another member has a budget of its own.
    expect(await bob.client.emitWithAck('room:touch', { roomId, userToken: bob.userToken })).toEqual({
      ok: true,
      data: { idleExpiresAt: new Date(start + 70 * SEC).toISOString() },
    });
    clock.advance(20 * SEC);
    expect(await ann.client.emitWithAck('room:touch', { roomId, userToken: ann.userToken })).toEqual({
      ok: true,
      data: { idleExpiresAt: new Date(start + 90 * SEC).toISOString() },
    });
  });

  it('refuses an unknown token with TOKEN_INVALID', async () => {
    const ann = await member('ann');
    expect(await ann.client.emitWithAck('room:touch', { roomId, userToken: 'x'.repeat(43) })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_INVALID' },
    });
  });

  it('still closes a room kept open by room:touch at its maximum age, with reason ttl', async () => {
    const ann = await member('ann');
    for (let i = 0; i < 3; i++) {
      clock.advance(50 * SEC);
      expect(await ann.client.emitWithAck('room:touch', { roomId, userToken: ann.userToken })).toMatchObject({
        ok: true,
      });
    }
    const closed = nextEvent(ann.client, 'room:closed');
    clock.advance(51 * SEC);
    expect(await closed).toEqual({ roomId, reason: 'ttl' });
    expect(await ann.client.emitWithAck('room:touch', { roomId, userToken: ann.userToken })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_NOT_FOUND' },
    });
  });
});
