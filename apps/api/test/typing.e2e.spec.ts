import type { TypingEvent } from '@tiny-chat/shared-types';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { ApiInstance, ChatClient, connectTo, createRoomOn, startInstance } from './support/instances';
import { waitFor } from './support/test-server';
import { requireRedisUrl } from '../src/testing/redis-url';

/** room:typing between two real API processes sharing one Redis: relayed on the room's channel, never stored. */
describe('room:typing across two instances on Redis', () => {
  const prefix = `typing:${randomUUID()}:`;
  const clients: ChatClient[] = [];
  let nodes: ApiInstance[];
  let redis: Redis;

  beforeAll(async () => {
    const env = { STORE: 'redis', REDIS_URL: requireRedisUrl(), REDIS_KEY_PREFIX: prefix };
    nodes = await Promise.all([startInstance(env), startInstance(env)]);
    redis = new Redis(requireRedisUrl());
  }, 30_000);
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    redis.disconnect();
  });

  async function member(node: ApiInstance, roomId: string, nick: string) {
    const socket = await connectTo(node.url);
    clients.push(socket);
    const typing: TypingEvent[] = [];
    socket.on('room:typing', (e) => typing.push(e));
    const ack = await socket.emitWithAck('room:join', { roomId, nick });
    if (!ack.ok) throw new Error(ack.error.code);
    return { socket, typing, userToken: ack.data.userToken };
  }

  it('reaches the other members on both instances, not the typist, at most once a second; nothing is stored', async () => {
    const roomId = await createRoomOn(nodes[0]!);
    const ana = await member(nodes[0]!, roomId, 'Ana');
    const ben = await member(nodes[1]!, roomId, 'Ben');
    const cy = await member(nodes[0]!, roomId, 'Cy');
    const before = await redis.keys(`${prefix}*`);
    const roomHashBefore = await redis.hgetall(`${prefix}room:{${roomId}}`);

    const acks = [];
    for (let i = 0; i < 5; i++)
      acks.push(await ana.socket.emitWithAck('room:typing', { roomId, userToken: ana.userToken }));
    expect(acks).toEqual(Array(5).fill({ ok: true, data: {} }));
    await waitFor(() => ben.typing.length === 1 && cy.typing.length === 1, 5000, 'typing relayed');
    await new Promise((r) => setTimeout(r, 300));
    expect(ben.typing).toEqual([{ roomId, nick: 'Ana' }]);
    expect(cy.typing).toEqual([{ roomId, nick: 'Ana' }]);
    expect(ana.typing).toEqual([]);

    await new Promise((r) => setTimeout(r, 1000));
    await ana.socket.emitWithAck('room:typing', { roomId, userToken: ana.userToken });
    await waitFor(() => ben.typing.length === 2, 5000, 'relayed again after a second');

    // Nothing typing-related in Redis: the same keys, the same room hash.
    expect((await redis.keys(`${prefix}*`)).sort()).toEqual(before.sort());
    expect(await redis.hgetall(`${prefix}room:{${roomId}}`)).toEqual(roomHashBefore);
  }, 30_000);

  it('answers bad input with its code and relays nothing', async () => {
    const roomId = await createRoomOn(nodes[1]!);
    const ana = await member(nodes[1]!, roomId, 'Ana');
    const ben = await member(nodes[0]!, roomId, 'Ben');
    const wrongToken = await ana.socket.emitWithAck('room:typing', { roomId, userToken: 'x'.repeat(43) });
    expect(wrongToken).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID' } });
    const extraField = await ana.socket.emitWithAck('room:typing', {
      roomId,
      userToken: ana.userToken,
      nick: 'Eve',
    } as never);
    expect(extraField).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    const badRoom = await ana.socket.emitWithAck('room:typing', { roomId: 'nope', userToken: ana.userToken });
    expect(badRoom).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(ben.typing).toEqual([]);
  }, 30_000);
});
