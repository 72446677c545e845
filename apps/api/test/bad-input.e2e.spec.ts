import { join, roomWithKeptMessage, startServer, TestServer } from './support/test-server';

/** Every bad payload gets an error ack with a code; the server keeps serving others and loses nothing. */
describe('bad input over socket.io', () => {
  let server: TestServer;
  let roomId: string;
  let userToken: string;
  beforeAll(async () => {
    server = await startServer();
    ({ roomId, userToken } = await roomWithKeptMessage(server));
  });
  afterAll(async () => {
    await server.close();
  });

  const cases: Array<[string, string, () => unknown[], string]> = [
    ['a string payload', 'room:join', () => ['not an object'], 'VALIDATION_ERROR'],
    ['a number payload', 'message:send', () => [42], 'VALIDATION_ERROR'],
    ['null payload', 'message:list', () => [null], 'VALIDATION_ERROR'],
    ['an array payload', 'room:join', () => [[roomId, 'nick']], 'VALIDATION_ERROR'],
    ['no payload at all', 'room:join', () => [], 'VALIDATION_ERROR'],
    [
      'two payloads',
      'room:join',
      () => [
        { roomId, nick: 'a' },
        { roomId, nick: 'b' },
      ],
      'VALIDATION_ERROR',
    ],
    ['both nick and token', 'room:join', () => [{ roomId, nick: 'x', userToken }], 'VALIDATION_ERROR'],
    ['a missing roomId', 'room:join', () => [{ nick: 'x' }], 'VALIDATION_ERROR'],
    ['a numeric nick', 'room:join', () => [{ roomId, nick: 7 }], 'VALIDATION_ERROR'],
    ['an extra field', 'message:send', () => [{ roomId, userToken, text: 'x', admin: true }], 'VALIDATION_ERROR'],
    [
      '__proto__ as a field name',
      'message:send',
      () => [JSON.parse(`{"roomId":"${roomId}","userToken":"${userToken}","text":"x","__proto__":{"a":1}}`)],
      'VALIDATION_ERROR',
    ],
    ['an array as text', 'message:send', () => [{ roomId, userToken, text: ['hi'] }], 'VALIDATION_ERROR'],
    ['an object as text', 'message:send', () => [{ roomId, userToken, text: { toString: 'x' } }], 'VALIDATION_ERROR'],
    ['a lone surrogate', 'message:send', () => [{ roomId, userToken, text: 'x\ud800' }], 'VALIDATION_ERROR'],
    ['empty text', 'message:send', () => [{ roomId, userToken, text: '' }], 'MESSAGE_EMPTY'],
    ['white-space text', 'message:send', () => [{ roomId, userToken, text: ' \n\t ' }], 'MESSAGE_EMPTY'],
    ['__proto__ as roomId', 'room:join', () => [{ roomId: '__proto__', nick: 'x' }], 'ROOM_NOT_FOUND'],
    [
      'constructor as roomId',
      'message:send',
      () => [{ roomId: 'constructor', userToken, text: 'x' }],
      'ROOM_NOT_FOUND',
    ],
    ['__proto__ as nick', 'room:join', () => [{ roomId, nick: '__proto__' }], 'OK'],
    ['a bidi override in a nick', 'room:join', () => [{ roomId, nick: 'evil\u202Eetc' }], 'NICK_INVALID'],
    ['a 33-code-point nick', 'room:join', () => [{ roomId, nick: 'n'.repeat(33) }], 'NICK_INVALID'],
    ['a forged token', 'message:send', () => [{ roomId, userToken: 'A'.repeat(43), text: 'x' }], 'TOKEN_INVALID'],
    [
      'a truncated token',
      'message:send',
      () => [{ roomId, userToken: userToken.slice(0, 20), text: 'x' }],
      'TOKEN_INVALID',
    ],
    ['a negative afterId', 'message:list', () => [{ roomId, userToken, afterId: -1 }], 'VALIDATION_ERROR'],
    ['a fractional afterId', 'message:list', () => [{ roomId, userToken, afterId: 1.5 }], 'VALIDATION_ERROR'],
    ['a huge afterId', 'message:list', () => [{ roomId, userToken, afterId: 1e300 }], 'VALIDATION_ERROR'],
    ['a string afterId', 'message:list', () => [{ roomId, userToken, afterId: '0' }], 'VALIDATION_ERROR'],
    [
      'an empty clientMsgId',
      'message:send',
      () => [{ roomId, userToken, text: 'x', clientMsgId: '' }],
      'VALIDATION_ERROR',
    ],
    ['an unknown event', 'room:destroy', () => [{ roomId }], 'VALIDATION_ERROR'],
    ['leave with a forged token', 'room:leave', () => [{ roomId, userToken: 'nope' }], 'TOKEN_INVALID'],
    ['a case variant of a taken nick', 'room:join', () => [{ roomId, nick: 'OWNER' }], 'NICK_TAKEN'],
    ['an NFKC (fullwidth) variant of a taken nick', 'room:join', () => [{ roomId, nick: 'ｏｗｎｅｒ' }], 'NICK_TAKEN'],
    ['a zero-width space in a nick', 'room:join', () => [{ roomId, nick: 'ow\u200bner' }], 'NICK_INVALID'],
    ['a control character in a nick', 'room:join', () => [{ roomId, nick: 'bell\u0007' }], 'NICK_INVALID'],
    ['a lone surrogate in a nick', 'room:join', () => [{ roomId, nick: 'x\udfff' }], 'NICK_INVALID'],
    ['1001 code points', 'message:send', () => [{ roomId, userToken, text: 'a'.repeat(1001) }], 'MESSAGE_TOO_LONG'],
    ['1001 emoji', 'message:send', () => [{ roomId, userToken, text: '😀'.repeat(1001) }], 'MESSAGE_TOO_LONG'],
    [
      'constructor as a field name',
      'message:list',
      () => [{ roomId, userToken, afterId: 0, constructor: 1 }],
      'VALIDATION_ERROR',
    ],
    ['__proto__ as userToken', 'message:send', () => [{ roomId, userToken: '__proto__', text: 'x' }], 'TOKEN_INVALID'],
  ];

  it.each(cases)('%s on %s gets %s and the room is unchanged', async (_label, event, args, expected) => {
    const attacker = await server.connect();
    const ack = (await (
      attacker as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<unknown> }
    ).emitWithAck(event, ...args())) as { ok: boolean; error?: { code: string; message: string } };
    if (expected === 'OK') expect(ack.ok).toBe(true);
    else expect(ack).toEqual({ ok: false, error: { code: expected, message: expect.any(String) } });
    // Another client is served normally and the stored history is unchanged.
    const bystander = await server.connect();
    const list = await bystander.emitWithAck('message:list', { roomId, userToken, afterId: 0 });
    expect(list.ok && list.data.messages.map((m) => m.text)).toEqual(['kept']);
    expect(attacker.connected).toBe(true);
    attacker.disconnect();
    bystander.disconnect();
  });

  it.each([
    ['1000 code points', 'a'.repeat(1000)],
    ['1000 emoji', '😀'.repeat(1000)],
    ['combining marks', 'e\u0301 a\u0308 Z\u0351\u0352\u0353'],
    ['family and flag emoji', '👨‍👩‍👧‍👦 🏳️‍🌈 🇩🇪'],
    ['an XSS payload', '<img src=x onerror=alert(1)><script>alert(1)</script>'],
    ['bidi override text', '\u202Egnp.exe'],
    ['leading and trailing white space with newlines', '  line 1\n\n  line 2  '],
  ])('stores %s byte-for-byte and delivers it unchanged', async (_label, text) => {
    const room = (await server.createRoom()).roomId;
    const sender = await server.connect();
    const reader = await server.connect();
    const token = (await join(sender, room, 'sender')).userToken;
    await join(reader, room, 'reader');
    const delivered = new Promise<string>((resolve) => reader.once('message:new', (m) => resolve(m.text)));
    const ack = await sender.emitWithAck('message:send', { roomId: room, userToken: token, text });
    expect(ack.ok && ack.data.message.text).toBe(text);
    expect(await delivered).toBe(text);
    const list = await reader.emitWithAck('message:list', { roomId: room, userToken: token, afterId: 0 });
    expect(list.ok && list.data.messages.map((m) => m.text)).toEqual([text]);
  });

  it('a client that sends no ack callback is ignored without harm', async () => {
    const client = await server.connect();
    const raw = client as unknown as { emit(e: string, p: unknown): void };
    raw.emit('message:send', { roomId, userToken, text: 'no ack but valid' });
    raw.emit('room:join', 'garbage');
    // Handlers of one socket run concurrently: poll until the ack-less send has been stored.
    let texts: string[] = [];
    for (let i = 0; i < 50 && texts.length === 0; i++) {
      const list = await client.emitWithAck('message:list', { roomId, userToken, afterId: 1 });
      texts = list.ok ? list.data.messages.map((m) => m.text) : [];
      if (texts.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(texts).toEqual(['no ack but valid']);
  });
});
