import type { Message } from '@tiny-chat/shared-types';
import { collectMessages, join, startServer, TestServer, waitFor } from './support/test-server';

describe('chat over socket.io (websocket transport only)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ HISTORY_LIMIT: '200' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('create -> join -> send: every member receives the message', async () => {
    const { roomId } = await server.createRoom();
    const clients = await Promise.all([server.connect(), server.connect(), server.connect()]);
    const inboxes = clients.map(collectMessages);
    const joined = [];
    for (const [i, client] of clients.entries()) joined.push(await join(client, roomId, `user${i}`));
    const ack = await clients[0]!.emitWithAck('message:send', {
      roomId,
      userToken: joined[0]!.userToken,
      text: 'hello all',
    });
    expect(ack).toMatchObject({ ok: true, data: { message: { id: 1, roomId, nick: 'user0', text: 'hello all' } } });
    await waitFor(() => inboxes.every((inbox) => inbox.length === 1), 5000, 'delivery');
    // message:new is the stored message plus the room's epoch (the ack carries the same).
    for (const inbox of inboxes) expect(inbox[0]).toEqual(ack.ok && { ...ack.data.message, epoch: ack.data.epoch });
  });

  it('10 clients sending 100 messages each at once all see the identical sequence 1..1000', async () => {
    const { roomId } = await server.createRoom();
    const clients = await Promise.all(Array.from({ length: 10 }, () => server.connect()));
    const inboxes = clients.map(collectMessages);
    const tokens: string[] = [];
    for (const [i, client] of clients.entries()) tokens.push((await join(client, roomId, `sender${i}`)).userToken);
    const acks = await Promise.all(
      clients.flatMap((client, i) =>
        Array.from({ length: 100 }, (_, n) =>
          client.emitWithAck('message:send', {
            roomId,
            userToken: tokens[i]!,
            text: `${i}:${n}`,
            clientMsgId: `${i}-${n}`,
          }),
        ),
      ),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    const ackIds = acks.map((a) => (a.ok ? a.data.message.id : 0)).sort((x, y) => x - y);
    expect(ackIds).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    await waitFor(() => inboxes.every((inbox) => inbox.length >= 1000), 20_000, 'all deliveries');
    const reference = inboxes[0]!.map((m) => `${m.id}|${m.text}`);
    expect(inboxes[0]!.map((m) => m.id)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    for (const inbox of inboxes) expect(inbox.map((m) => `${m.id}|${m.text}`)).toEqual(reference);
    // Each sender's own messages keep the order it sent them in.
    for (let i = 0; i < 10; i++) {
      const own = inboxes[0]!.filter((m) => m.text.startsWith(`${i}:`)).map((m) => Number(m.text.split(':')[1]));
      expect(own).toEqual(Array.from({ length: 100 }, (_, n) => n));
    }
  }, 30_000);

  it('a reconnect with the token plus message:list catches up with no gap and no duplicate', async () => {
    const { roomId } = await server.createRoom();
    const alice = await server.connect();
    const bob = await server.connect();
    const aliceJoin = await join(alice, roomId, 'alice');
    const bobJoin = await join(bob, roomId, 'bob');
    const aliceInbox = collectMessages(alice);
    for (let i = 1; i <= 5; i++)
      await bob.emitWithAck('message:send', { roomId, userToken: bobJoin.userToken, text: `m${i}` });
    await waitFor(() => aliceInbox.length === 5);
    alice.disconnect();
    for (let i = 6; i <= 10; i++)
      await bob.emitWithAck('message:send', { roomId, userToken: bobJoin.userToken, text: `m${i}` });

    const alice2 = await server.connect();
    const seen = new Map<number, Message>(aliceInbox.map((m) => [m.id, m]));
    alice2.on('message:new', (m) => seen.set(m.id, m));
    const rejoin = await alice2.emitWithAck('room:join', { roomId, userToken: aliceJoin.userToken });
    expect(rejoin).toMatchObject({ ok: true, data: { nick: 'alice', userToken: aliceJoin.userToken } });
    expect(rejoin.ok && rejoin.data.members).toEqual([
      { nick: 'alice', online: true, memberId: expect.any(String) },
      { nick: 'bob', online: true, memberId: expect.any(String) },
    ]);
    const lastSeen = Math.max(...aliceInbox.map((m) => m.id));
    const page = await alice2.emitWithAck('message:list', {
      roomId,
      userToken: aliceJoin.userToken,
      afterId: lastSeen,
    });
    expect(page.ok && page.data.truncated).toBe(false);
    const caughtUp = page.ok ? page.data.messages : [];
    expect(caughtUp.map((m) => m.id)).toEqual([6, 7, 8, 9, 10]);
    for (const m of caughtUp) seen.set(m.id, m);
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect([...seen.values()].map((m) => m.text).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${i + 1}`).sort(),
    );
  });

  it('a resend with the same clientMsgId stores once and is delivered once', async () => {
    const { roomId } = await server.createRoom();
    const sender = await server.connect();
    const watcher = await server.connect();
    const { userToken } = await join(sender, roomId, 'sender');
    await join(watcher, roomId, 'watcher');
    const inbox = collectMessages(watcher);
    const first = await sender.emitWithAck('message:send', { roomId, userToken, text: 'once', clientMsgId: 'abc' });
    const second = await sender.emitWithAck('message:send', { roomId, userToken, text: 'once', clientMsgId: 'abc' });
    expect(second).toEqual(first);
    const marker = await sender.emitWithAck('message:send', { roomId, userToken, text: 'marker' });
    expect(marker.ok && marker.data.message.id).toBe(2);
    await waitFor(() => inbox.length === 2);
    expect(inbox.map((m) => m.text)).toEqual(['once', 'marker']);
    const list = await sender.emitWithAck('message:list', { roomId, userToken, afterId: 0 });
    expect(list.ok && list.data.messages.map((m) => m.text)).toEqual(['once', 'marker']);
  });

  it('counts code points: 1000 a and 1000 emoji pass, 1001 fails with MESSAGE_TOO_LONG and stores nothing', async () => {
    const { roomId } = await server.createRoom();
    const client = await server.connect();
    const { userToken } = await join(client, roomId, 'counter');
    const ok1 = await client.emitWithAck('message:send', { roomId, userToken, text: 'a'.repeat(1000) });
    const ok2 = await client.emitWithAck('message:send', { roomId, userToken, text: '😀'.repeat(1000) });
    const tooLong = await client.emitWithAck('message:send', { roomId, userToken, text: 'a'.repeat(1001) });
    const tooLongEmoji = await client.emitWithAck('message:send', { roomId, userToken, text: '😀'.repeat(1001) });
    expect(ok1.ok && ok2.ok).toBe(true);
    expect(ok2.ok && ok2.data.message.text).toBe('😀'.repeat(1000));
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LONG' } });
    expect(tooLongEmoji).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LONG' } });
    const list = await client.emitWithAck('message:list', { roomId, userToken, afterId: 0 });
    expect(list.ok && list.data.messages.map((m) => m.id)).toEqual([1, 2]);
  });

  it('presence: online follows connections, room:presence goes out on every change, leave frees the nick', async () => {
    const { roomId } = await server.createRoom();
    const watcher = await server.connect();
    await join(watcher, roomId, 'watcher');
    const updates: string[] = [];
    watcher.on('room:presence', (e) => updates.push(e.members.map((m) => `${m.nick}:${m.online}`).join(',')));
    const tab1 = await server.connect();
    const { userToken } = await join(tab1, roomId, 'Zoe');
    const tab2 = await server.connect();
    await tab2.emitWithAck('room:join', { roomId, userToken });
    tab1.disconnect();
    await new Promise((r) => setTimeout(r, 100));
    tab2.disconnect();
    await waitFor(() => updates.length === 2, 3000, 'presence updates');
    expect(updates).toEqual(['watcher:true,Zoe:true', 'watcher:true,Zoe:false']);
    const details = await (await fetch(`${server.url}/api/rooms/${roomId}`)).json();
    expect(details.members).toEqual([
      { nick: 'watcher', online: true, memberId: expect.any(String) },
      { nick: 'Zoe', online: false, memberId: expect.any(String) },
    ]);
    const tab3 = await server.connect();
    await tab3.emitWithAck('room:join', { roomId, userToken });
    expect(await tab3.emitWithAck('room:leave', { roomId, userToken })).toEqual({ ok: true, data: {} });
    await waitFor(() => updates.at(-1) === 'watcher:true', 3000, 'leave presence');
    const newcomer = await server.connect();
    await expect(join(newcomer, roomId, 'zoe')).resolves.toMatchObject({ nick: 'zoe' });
  });

  it('a join storm costs a few room:presence events, not one per join, and the last one lists everybody', async () => {
    const { roomId } = await server.createRoom();
    const watcher = await server.connect();
    await join(watcher, roomId, 'watcher');
    const updates: string[][] = [];
    watcher.on('room:presence', (e) => updates.push(e.members.filter((m) => m.online).map((m) => m.nick)));
    const clients = await Promise.all(Array.from({ length: 40 }, () => server.connect()));
    const started = Date.now();
    await Promise.all(clients.map((client, i) => join(client, roomId, `storm${i}`)));
    const joinedWithinMs = Date.now() - started;
    await waitFor(() => updates.at(-1)?.length === 41, 3000, 'the full list');
    // At most one event per 100 ms per room, the first at once (plus one trailing).
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(joinedWithinMs / 100) + 2);
    expect(updates.length).toBeLessThan(40);
    expect([...updates.at(-1)!].sort()).toEqual(['watcher', ...clients.map((_, i) => `storm${i}`)].sort());
  });

  it('a member who left stops receiving the room', async () => {
    const { roomId } = await server.createRoom();
    const leaver = await server.connect();
    const stayer = await server.connect();
    const leaverJoin = await join(leaver, roomId, 'leaver');
    const stayerJoin = await join(stayer, roomId, 'stayer');
    const inbox = collectMessages(leaver);
    await leaver.emitWithAck('room:leave', { roomId, userToken: leaverJoin.userToken });
    await stayer.emitWithAck('message:send', { roomId, userToken: stayerJoin.userToken, text: 'after leave' });
    const echo = collectMessages(stayer);
    await stayer.emitWithAck('message:send', { roomId, userToken: stayerJoin.userToken, text: 'second' });
    await waitFor(() => echo.length === 1);
    expect(inbox).toEqual([]);
  });

  it('rejects NICK_TAKEN for case and NFKC variants', async () => {
    const { roomId } = await server.createRoom();
    await join(await server.connect(), roomId, 'Ann');
    const other = await server.connect();
    for (const nick of ['ann', 'ANN', 'Ａｎｎ', ' Ann ']) {
      expect(await other.emitWithAck('room:join', { roomId, nick })).toMatchObject({
        ok: false,
        error: { code: 'NICK_TAKEN' },
      });
    }
  });

  it("rejects another room's token with TOKEN_INVALID", async () => {
    const a = await server.createRoom();
    const b = await server.connect();
    const { roomId: otherRoom } = await server.createRoom();
    const { userToken } = await join(b, a.roomId, 'bee');
    expect(await b.emitWithAck('room:join', { roomId: otherRoom, userToken })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_INVALID' },
    });
    expect(await b.emitWithAck('message:send', { roomId: otherRoom, userToken, text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_INVALID' },
    });
    expect(await b.emitWithAck('message:list', { roomId: otherRoom, userToken, afterId: 0 })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_INVALID' },
    });
  });
});
