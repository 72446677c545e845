import { maxEnvelopeLength } from '@tiny-chat/shared-types';
import { ChatClient, startServer, storeEnv, TestServer } from './support/test-server';

const b64 = (bytes: number) => Buffer.alloc(bytes, 9).toString('base64url');
/** An envelope's shape with `plaintextBytes` of plaintext (the server cannot tell real ciphertext from this). */
const envelope = (plaintextBytes: number) => `e1.${b64(12)}.${b64(plaintextBytes + 16)}`;

describe.each(['memory', 'redis'])('room options at creation: titles and encrypted rooms (%s)', (store) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(storeEnv(store));
  });
  afterAll(async () => {
    await server.close();
  });

  const post = (body?: unknown) =>
    fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  async function created(body?: unknown) {
    const response = await post(body);
    expect(response.status).toBe(201);
    return (await response.json()) as { roomId: string; encrypted: boolean; title: string | null };
  }
  async function joined(roomId: string, nick = 'Ann') {
    const client: ChatClient = await server.connect();
    const ack = await client.emitWithAck('room:join', { roomId, nick });
    if (!ack.ok) throw new Error(ack.error.code);
    return { client, ...ack.data };
  }

  it('no body and {} make a plain, untitled room, in the POST answer, GET and the join ack', async () => {
    for (const body of [undefined, {}]) {
      const room = await created(body);
      expect(room).toMatchObject({ encrypted: false, title: null });
      expect(await (await fetch(`${server.url}/api/rooms/${room.roomId}`)).json()).toMatchObject({
        encrypted: false,
        title: null,
      });
      expect(await joined(room.roomId)).toMatchObject({ encrypted: false, title: null });
    }
  });

  it('keeps a plain title NFKC-normalized and trimmed; emoji with their selector and ZWJ sequences are fine', async () => {
    const room = await created({ title: '  Friday ﬁve  ' });
    expect(room.title).toBe('Friday five');
    expect(await (await fetch(`${server.url}/api/rooms/${room.roomId}`)).json()).toMatchObject({
      title: 'Friday five',
    });
    expect((await joined(room.roomId)).title).toBe('Friday five');
    for (const title of ['Party 🎉', '❤️ love', '👨‍👩‍👧 family', 'x'.repeat(64), '😀'.repeat(64)])
      expect((await created({ title })).title).toBe(title);
  });

  it.each([
    ['an unknown field', { title: 'a', color: 'red' }],
    ['a wrong type', { encrypted: 'yes' }],
    ['a title that is not a string', { title: 5 }],
    ['an empty title', { title: '   ' }],
    ['65 code points', { title: 'x'.repeat(65) }],
    ['a bidi override', { title: 'abc\u202Edef' }],
    ['a zero-width space', { title: 'a\u200Bb' }],
    ['a control character', { title: 'a\u0007b' }],
    ['a lone joiner', { title: 'a\u200Db' }],
    ['a plain title in an encrypted room', { encrypted: true, title: 'Friday' }],
    ['an envelope title over 64 code points', { encrypted: true, title: envelope(4 * 64 + 1) }],
    ['an array', [1]],
  ])('refuses %s with 400 VALIDATION_ERROR', async (_what, body) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR' });
  });

  it('an encrypted room keeps an envelope title and accepts only envelopes, up to what the length limit makes', async () => {
    const title = envelope(30);
    const room = await created({ encrypted: true, title });
    expect(room).toMatchObject({ encrypted: true, title });
    const ann = await joined(room.roomId);
    expect(ann).toMatchObject({ encrypted: true, title });
    const send = (text: string) =>
      ann.client.emitWithAck('message:send', { roomId: room.roomId, userToken: ann.userToken, text });
    expect(await send('hello in clear')).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    const largest = `e1.${b64(12)}.${b64(4 * 1000 + 16)}`;
    expect(largest.length).toBe(maxEnvelopeLength(1000));
    expect(await send(largest)).toMatchObject({ ok: true, data: { message: { id: 1, text: largest } } });
    expect(await send(`${largest}AAAA`)).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LONG' } });
    expect(await send('e1.short.x')).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    const small = envelope(5);
    expect(await send(small)).toMatchObject({ ok: true, data: { message: { id: 2, text: small } } });
    const page = await ann.client.emitWithAck('message:list', {
      roomId: room.roomId,
      userToken: ann.userToken,
      afterId: 0,
    });
    expect(page.ok && page.data.messages.map((m) => m.text)).toEqual([largest, small]);
  });

  it('a plain room is unaffected: any valid text, an envelope-looking one too, and the plain limits', async () => {
    const room = await created({ title: 'plain' });
    const ann = await joined(room.roomId);
    const send = (text: string) =>
      ann.client.emitWithAck('message:send', { roomId: room.roomId, userToken: ann.userToken, text });
    expect(await send('hello')).toMatchObject({ ok: true });
    expect(await send(envelope(5))).toMatchObject({ ok: true });
    expect(await send(envelope(4 * 1000))).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LONG' } });
    expect(await send('x'.repeat(1001))).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LONG' } });
    expect(await send('   ')).toMatchObject({ ok: false, error: { code: 'MESSAGE_EMPTY' } });
  });
});
