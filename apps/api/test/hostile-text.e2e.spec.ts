import type { ErrorCode } from '@tiny-chat/shared-types';
import { connectTo, startInstance, type ApiInstance, type ChatClient } from './support/instances';
import { storeEnv } from './support/test-server';

describe.each(['memory', 'redis'])('look-alike nicks and invisible texts (built server, %s store)', (store) => {
  let instance: ApiInstance;
  let client: ChatClient;
  let roomId: string;
  let userToken: string;
  beforeAll(async () => {
    instance = await startInstance(storeEnv(store));
    roomId = ((await (await fetch(`${instance.url}/api/rooms`, { method: 'POST' })).json()) as { roomId: string })
      .roomId;
    client = await connectTo(instance.url);
    const joined = await client.emitWithAck('room:join', { roomId, nick: 'admin' });
    if (!joined.ok) throw new Error(joined.error.code);
    userToken = joined.data.userToken;
    await client.emitWithAck('message:send', { roomId, userToken, text: 'kept' });
  }, 20_000);
  afterAll(async () => {
    client.disconnect();
    await instance.kill();
  });

  it.each<[string, string, ErrorCode]>([
    ['Cyrillic а', '\u0430dmin', 'NICK_TAKEN'],
    ['Ukrainian і', 'adm\u0456n', 'NICK_TAKEN'],
    ['U+034F', 'admin\u034f', 'NICK_INVALID'],
    ['U+FE0F', 'admin\ufe0f', 'NICK_INVALID'],
    ['U+FE00', 'admin\ufe00', 'NICK_INVALID'],
    ['the Hangul filler U+3164', '\u3164', 'NICK_INVALID'],
    ['the Braille blank U+2800', '\u2800', 'NICK_INVALID'],
    ['combining marks only', '\u0301\u0302', 'NICK_INVALID'],
  ])('refuses a nick with %s beside admin', async (_label, nick, code) => {
    const other = await connectTo(instance.url);
    try {
      expect(await other.emitWithAck('room:join', { roomId, nick })).toMatchObject({ ok: false, error: { code } });
    } finally {
      other.disconnect();
    }
  });

  it.each<[string, string, ErrorCode]>([
    ['only Braille blanks', '\u2800'.repeat(20), 'MESSAGE_EMPTY'],
    ['only combining marks', '\u0301\u0302\u0303', 'MESSAGE_EMPTY'],
    ['1,000 x U+0001', '\u0001'.repeat(1000), 'MESSAGE_INVALID'],
    ['a NUL', 'hi\u0000', 'MESSAGE_INVALID'],
    ['999 combining marks on one letter', `a${'\u0301'.repeat(999)}`, 'MESSAGE_INVALID'],
  ])('refuses a message of %s and stores nothing', async (_label, text, code) => {
    const ack = await client.emitWithAck('message:send', { roomId, userToken, text });
    expect(ack).toMatchObject({ ok: false, error: { code } });
    const list = await client.emitWithAck('message:list', { roomId, userToken, afterId: 0 });
    expect(list.ok && list.data.messages.map((message) => message.text)).toEqual(['kept']);
  });
});
