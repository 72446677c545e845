import type { Ack, SendMessageResult } from '@tiny-chat/shared-types';
import { connectTo, startInstance, type ApiInstance, type ChatClient } from './support/instances';
import { storeEnv } from './support/test-server';

const ROOMS = 30;
const SENDS_PER_ROOM = 10;
const MESSAGES_PER_IP_PER_SEC = 20;
const JOINS_PER_IP_PER_MIN = 40;

describe.each(['memory', 'redis'])('limits per client address (built server, %s store)', (store) => {
  let instance: ApiInstance;
  const clients: ChatClient[] = [];
  const connect = async (localAddress: string) => {
    const client = await connectTo(instance.url, localAddress);
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    instance = await startInstance(
      storeEnv(store, {
        RATE_MESSAGES_PER_SEC: '5',
        RATE_MESSAGES_BURST: '10',
        RATE_JOINS_PER_MIN: '30',
        RATE_MESSAGES_PER_IP_PER_SEC: String(MESSAGES_PER_IP_PER_SEC),
        RATE_JOINS_PER_IP_PER_MIN: String(JOINS_PER_IP_PER_MIN),
      }),
    );
  }, 20_000);
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await instance.kill();
  });

  it('one socket in 30 rooms gets one address budget of sends, and a new socket no fresh join budget', async () => {
    const roomIds: string[] = [];
    for (let i = 0; i < ROOMS + 5; i++)
      roomIds.push(
        ((await (await fetch(`${instance.url}/api/rooms`, { method: 'POST' })).json()) as { roomId: string }).roomId,
      );
    const attacker = await connect('127.0.0.2');
    const tokens: string[] = [];
    for (const roomId of roomIds.slice(0, ROOMS)) {
      const ack = await attacker.emitWithAck('room:join', { roomId, nick: 'flood' });
      if (!ack.ok) throw new Error(ack.error.code);
      tokens.push(ack.data.userToken);
    }
    // 30 members' budgets of 10 would let all 300 through; the address' budget lets at most two seconds' worth.
    const sends: Array<Promise<Ack<SendMessageResult>>> = [];
    for (let r = 0; r < ROOMS; r++)
      for (let i = 0; i < SENDS_PER_ROOM; i++)
        sends.push(
          attacker.emitWithAck('message:send', { roomId: roomIds[r] ?? '', userToken: tokens[r] ?? '', text: `m${i}` }),
        );
    const acks = await Promise.all(sends);
    const accepted = acks.filter((ack) => ack.ok);
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.length).toBeLessThanOrEqual(2 * MESSAGES_PER_IP_PER_SEC);
    for (const ack of acks.filter((a) => !a.ok))
      expect(ack).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) } });
    // Nothing acknowledged is lost.
    let stored = 0;
    for (let r = 0; r < ROOMS; r++) {
      const list = await attacker.emitWithAck('message:list', {
        roomId: roomIds[r] ?? '',
        userToken: tokens[r] ?? '',
        afterId: 0,
      });
      if (list.ok) stored += list.data.messages.length;
    }
    expect(stored).toBe(accepted.length);

    // A bystander on another address is served at once.
    const bystander = await connect('127.0.0.3');
    const started = Date.now();
    const joined = await bystander.emitWithAck('room:join', { roomId: roomIds[0] ?? '', nick: 'bystander' });
    if (!joined.ok) throw new Error(joined.error.code);
    const sent = await bystander.emitWithAck('message:send', {
      roomId: roomIds[0] ?? '',
      userToken: joined.data.userToken,
      text: 'hello',
    });
    expect(sent.ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);

    // A fresh socket from the attacker's address has what is left of the address' 40 joins: 10.
    const fresh = await connect('127.0.0.2');
    const joins = [];
    for (const roomId of roomIds.slice(ROOMS)) joins.push(await fresh.emitWithAck('room:join', { roomId, nick: 'x' }));
    for (let i = 0; i < 8; i++)
      joins.push(await fresh.emitWithAck('room:join', { roomId: roomIds[i] ?? '', nick: `again${i}` }));
    expect(joins.filter((ack) => ack.ok).length).toBe(JOINS_PER_IP_PER_MIN - ROOMS);
    expect(joins.at(-1)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  }, 30_000);
});
