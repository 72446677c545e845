import type { PresenceEvent } from '@tiny-chat/shared-types';
import { join, nextEvent, startServer, storeEnv, TestServer } from './support/test-server';

/** At least 96 random bits in base64url: 16 characters or more. */
const PUBLIC_ID = /^[A-Za-z0-9_-]{16,}$/;

describe.each(['memory', 'redis'])('public memberId on the wire (%s store)', (store) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(storeEnv(store));
  });
  afterAll(async () => {
    await server.close();
  });

  it('puts the joiner own memberId in the join ack, in members, presence, messages and GET /api/rooms/:roomId', async () => {
    const { roomId } = await server.createRoom();
    const ann = await server.connect();
    const annJoin = await join(ann, roomId, 'Ann');
    expect(annJoin.memberId).toMatch(PUBLIC_ID);
    expect(annJoin.memberId).not.toContain(annJoin.userToken);
    expect(annJoin.members).toEqual([{ nick: 'Ann', online: true, memberId: annJoin.memberId }]);
    const presence = nextEvent(ann, 'room:presence');
    const bob = await server.connect();
    const bobJoin = await join(bob, roomId, 'Bob');
    expect(bobJoin.memberId).toMatch(PUBLIC_ID);
    expect(bobJoin.memberId).not.toBe(annJoin.memberId);
    expect(((await presence) as PresenceEvent).members).toEqual([
      { nick: 'Ann', online: true, memberId: annJoin.memberId },
      { nick: 'Bob', online: true, memberId: bobJoin.memberId },
    ]);
    const delivered = nextEvent(ann, 'message:new');
    const sent = await bob.emitWithAck('message:send', { roomId, userToken: bobJoin.userToken, text: 'hi' });
    expect(sent.ok && sent.data.message.memberId).toBe(bobJoin.memberId);
    expect((await delivered).memberId).toBe(bobJoin.memberId);
    const list = await ann.emitWithAck('message:list', { roomId, userToken: annJoin.userToken, afterId: 0 });
    expect(list.ok && list.data.messages.map((m) => m.memberId)).toEqual([bobJoin.memberId]);
    const details = await (await fetch(`${server.url}/api/rooms/${roomId}`)).json();
    expect(details.members).toEqual([
      { nick: 'Ann', online: true, memberId: annJoin.memberId },
      { nick: 'Bob', online: true, memberId: bobJoin.memberId },
    ]);
  });

  it('keeps the memberId across a token rejoin, a second tab and a reconnect', async () => {
    const { roomId } = await server.createRoom();
    const tab1 = await server.connect();
    const first = await join(tab1, roomId, 'Zoe');
    const tab2 = await server.connect();
    const second = await tab2.emitWithAck('room:join', { roomId, userToken: first.userToken });
    expect(second.ok && second.data.memberId).toBe(first.memberId);
    tab1.disconnect();
    tab2.disconnect();
    const again = await server.connect();
    const third = await again.emitWithAck('room:join', { roomId, userToken: first.userToken });
    expect(third.ok && third.data.memberId).toBe(first.memberId);
    expect(third.ok && third.data.messages).toEqual([]);
  });

  it('gives a later member who takes a left nick another memberId; old messages keep the old one', async () => {
    const { roomId } = await server.createRoom();
    const bob = await server.connect();
    const bobJoin = await join(bob, roomId, 'Bob');
    await bob.emitWithAck('message:send', { roomId, userToken: bobJoin.userToken, text: 'from the first Bob' });
    expect(await bob.emitWithAck('room:leave', { roomId, userToken: bobJoin.userToken })).toEqual({
      ok: true,
      data: {},
    });
    const carol = await server.connect();
    const carolJoin = await join(carol, roomId, 'Bob');
    expect(carolJoin.memberId).toMatch(PUBLIC_ID);
    expect(carolJoin.memberId).not.toBe(bobJoin.memberId);
    expect(carolJoin.messages.map((m) => [m.nick, m.memberId])).toEqual([['Bob', bobJoin.memberId]]);
  });
});
