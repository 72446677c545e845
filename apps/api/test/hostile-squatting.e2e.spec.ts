import { connectTo, startInstance, type ApiInstance, type ChatClient } from './support/instances';
import { storeEnv } from './support/test-server';

const MAX_MEMBERS = 20;

async function newRoom(url: string): Promise<string> {
  return ((await (await fetch(`${url}/api/rooms`, { method: 'POST' })).json()) as { roomId: string }).roomId;
}

describe.each(['memory', 'redis'])('room squatting (built server, %s store)', (store) => {
  let instance: ApiInstance;
  const clients: ChatClient[] = [];
  const connect = async () => {
    const client = await connectTo(instance.url);
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    instance = await startInstance(
      storeEnv(store, { MAX_MEMBERS_PER_ROOM: String(MAX_MEMBERS), MEMBER_RECLAIM_SEC: '2' }),
    );
  }, 20_000);
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });
  afterAll(() => instance.kill());

  it('admits a newcomer once squatters have been offline MEMBER_RECLAIM_SEC; their tokens die, their messages stay', async () => {
    const roomId = await newRoom(instance.url);
    // The attack: nicks join and disconnect at once until the room is full.
    const squatters: string[] = [];
    for (let i = 0; i < MAX_MEMBERS; i++) {
      const client = await connect();
      const ack = await client.emitWithAck('room:join', { roomId, nick: `squat${i}` });
      if (!ack.ok) throw new Error(ack.error.code);
      if (i === 0) await client.emitWithAck('message:send', { roomId, userToken: ack.data.userToken, text: 'mine' });
      squatters.push(ack.data.userToken);
      client.disconnect();
    }
    const newcomer = await connect();
    expect(await newcomer.emitWithAck('room:join', { roomId, nick: 'early' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_FULL' },
    });
    await new Promise((resolve) => setTimeout(resolve, 2200));
    const started = Date.now();
    const joined = await newcomer.emitWithAck('room:join', { roomId, nick: 'newcomer' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(joined.ok).toBe(true);
    // The first squatter went offline first: retired, its token answers TOKEN_INVALID, its message stays.
    if (!joined.ok) return;
    expect(joined.data.members.map((member) => member.nick)).not.toContain('squat0');
    expect(joined.data.messages.map((message) => message.text)).toEqual(['mine']);
    const retired = await connect();
    expect(await retired.emitWithAck('room:join', { roomId, userToken: squatters[0] ?? '' })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_INVALID' },
    });
    // Its nick is free (another squatter is retired to make room for it).
    expect(await retired.emitWithAck('room:join', { roomId, nick: 'squat0' })).toMatchObject({ ok: true });
    // A squatter offline long enough but not yet retired still gets back in with its token.
    const back = await connect();
    expect(await back.emitWithAck('room:join', { roomId, userToken: squatters[MAX_MEMBERS - 1] ?? '' })).toMatchObject({
      ok: true,
    });
  }, 20_000);

  it('answers ROOM_FULL while every member was online within the window', async () => {
    const roomId = await newRoom(instance.url);
    for (let i = 0; i < MAX_MEMBERS; i++) {
      const ack = await (await connect()).emitWithAck('room:join', { roomId, nick: `online${i}` });
      expect(ack.ok).toBe(true);
    }
    await new Promise((resolve) => setTimeout(resolve, 2200));
    expect(await (await connect()).emitWithAck('room:join', { roomId, nick: 'late' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_FULL' },
    });
  }, 20_000);
});
