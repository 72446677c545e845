import { readFileSync } from 'node:fs';
import type { Message } from '@tiny-chat/shared-types';
import { connectTo, startInstance, type ApiInstance, type ChatClient } from './support/instances';
import { rawChatClient } from './support/raw-websocket';
import { storeEnv } from './support/test-server';

const MEMBERS = 20;
/** 1000 four-byte code points: a 4 KB message, the longest the default MAX_MESSAGE_LENGTH allows. */
const LONG_TEXT = '\u{1F600}'.repeat(1000);
const LIST_REQUESTS = 800;

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(line?.[1] ?? 0) * 1024;
}

/** A room whose history is full of long messages, sent by MEMBERS members. */
async function fullRoom(url: string, clients: ChatClient[]): Promise<string> {
  const { roomId } = (await (await fetch(`${url}/api/rooms`, { method: 'POST' })).json()) as { roomId: string };
  await Promise.all(
    Array.from({ length: MEMBERS }, async (_, m) => {
      const client = await connectTo(url, '127.0.0.4');
      clients.push(client);
      const joined = await client.emitWithAck('room:join', { roomId, nick: `filler${m}` });
      if (!joined.ok) throw new Error(joined.error.code);
      for (let i = 0; i < 200 / MEMBERS; i++)
        await client.emitWithAck('message:send', { roomId, userToken: joined.data.userToken, text: LONG_TEXT });
    }),
  );
  return roomId;
}

describe.each(['memory', 'redis'])('output backpressure (built server, %s store)', (store) => {
  let instance: ApiInstance;
  const clients: ChatClient[] = [];
  let roomId: string;
  beforeAll(async () => {
    // The list rate limit is off here: the output bound alone must hold the attack.
    instance = await startInstance(storeEnv(store, { RATE_LISTS_PER_SEC: '0' }));
    roomId = await fullRoom(instance.url, clients);
  }, 30_000);
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await instance.kill();
  });

  it('pages the history: each reply holds at most LIST_MAX_BYTES, oldest first, with hasMore', async () => {
    const client = await connectTo(instance.url, '127.0.0.3');
    clients.push(client);
    const joined = await client.emitWithAck('room:join', { roomId, nick: 'pager' });
    if (!joined.ok) throw new Error(joined.error.code);
    expect(joined.data.hasMore).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(joined.data.messages))).toBeLessThanOrEqual(256 * 1024);
    const got: Message[] = [...joined.data.messages];
    for (let hasMore = true; hasMore; ) {
      const page = await client.emitWithAck('message:list', {
        roomId,
        userToken: joined.data.userToken,
        afterId: got.at(-1)?.id ?? 0,
      });
      if (!page.ok) throw new Error(page.error.code);
      expect(Buffer.byteLength(JSON.stringify(page.data.messages))).toBeLessThanOrEqual(256 * 1024);
      expect(page.data.truncated).toBe(false);
      got.push(...page.data.messages);
      hasMore = page.data.hasMore;
    }
    expect(got.map((message) => message.id)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  }, 20_000);

  it('survives a reader that asks for the history 800 times and reads nothing; a bystander is served in < 1 s', async () => {
    const attacker = await rawChatClient(instance.url, '127.0.0.2');
    attacker.emit('room:join', { roomId, nick: 'hoarder' }, 0);
    const userToken = (await attacker.waitFor(/"userToken":"([^"]+)"/))[1] ?? '';
    attacker.socket.pause();
    const idle = rssBytes(instance.process.pid ?? 0);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(instance.process.pid ?? 0))), 50);
    try {
      for (let i = 1; i <= LIST_REQUESTS; i++) attacker.emit('message:list', { roomId, userToken, afterId: 0 }, i);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const bystander = await connectTo(instance.url, '127.0.0.3');
      clients.push(bystander);
      const started = Date.now();
      const joined = await bystander.emitWithAck('room:join', { roomId, nick: `bystander-${Date.now()}` });
      if (!joined.ok) throw new Error(joined.error.code);
      const page = await bystander.emitWithAck('message:list', {
        roomId,
        userToken: joined.data.userToken,
        afterId: 190,
      });
      expect(page.ok && page.data.messages).toHaveLength(10);
      expect(Date.now() - started).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      clearInterval(sampler);
    }
    // Unbounded, 800 replies of 256 KiB would be 200 MB held for this one connection.
    expect(peak - idle).toBeLessThan(100 * 1024 * 1024);
    // Once it reads again, it finds it was told to wait.
    attacker.socket.resume();
    await attacker.waitFor(/"code":"RATE_LIMITED"[^}]*"retryAfterMs":\d+/, 10_000);
    attacker.socket.destroy();
  }, 30_000);

  it('disconnects a member that reads none of its live deliveries once 4x MAX_CONNECTION_BUFFER_BYTES are queued', async () => {
    const slow = await rawChatClient(instance.url, '127.0.0.5');
    slow.emit('room:join', { roomId, nick: 'sleeper' }, 0);
    await slow.waitFor(/"userToken"/);
    slow.socket.pause();
    const sender = clients[0];
    if (!sender) throw new Error('no sender');
    const joined = await sender.emitWithAck('room:join', { roomId, nick: 'filler0-again' });
    if (!joined.ok) throw new Error(joined.error.code);
    // The server's view: the sleeper goes offline when its connection is dropped (the client, paused, may not notice).
    const sleeperOnline = async () => {
      const room = (await (await fetch(`${instance.url}/api/rooms/${roomId}`)).json()) as {
        members: Array<{ nick: string; online: boolean }>;
      };
      return room.members.find((member) => member.nick === 'sleeper')?.online ?? false;
    };
    expect(await sleeperOnline()).toBe(true);
    const idle = rssBytes(instance.process.pid ?? 0);
    const deadline = Date.now() + 20_000;
    let online = true;
    while (online && Date.now() < deadline) {
      await Promise.all(
        Array.from({ length: 50 }, () =>
          sender.emitWithAck('message:send', { roomId, userToken: joined.data.userToken, text: LONG_TEXT }),
        ),
      );
      online = await sleeperOnline();
    }
    expect(online).toBe(false);
    expect(rssBytes(instance.process.pid ?? 0) - idle).toBeLessThan(100 * 1024 * 1024);
    slow.socket.destroy();
  }, 30_000);
});
