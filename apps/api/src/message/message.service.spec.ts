import { serviceFixture } from '../testing/service-fixture';

describe('MessageService', () => {
  async function joined(env: Record<string, string> = {}) {
    const f = serviceFixture(env);
    const { roomId } = await f.creation.createRoom();
    const { result } = await f.joins.join({ roomId, nick: 'Ann' }, f.connection());
    return { ...f, roomId, userToken: result.userToken };
  }

  it('stores the text unchanged, numbers messages 1, 2, 3 and publishes each once', async () => {
    const { messages, events, roomId, userToken, clock } = await joined();
    const texts = ['hello', '  <script>alert(1)</script>\n', '😀'.repeat(1000)];
    for (const text of texts) await messages.send({ roomId, userToken, text });
    const published = events.ofType('message').map((e) => e.message);
    expect(published.map((m) => [m.id, m.text, m.nick])).toEqual(texts.map((t, i) => [i + 1, t, 'Ann']));
    expect(published[0]?.sentAt).toBe(new Date(clock.now()).toISOString());
  });

  it('a resend with the same clientMsgId returns the original and publishes nothing', async () => {
    const { messages, events, roomId, userToken } = await joined();
    const first = await messages.send({ roomId, userToken, text: 'hi', clientMsgId: 'c1' });
    const again = await messages.send({ roomId, userToken, text: 'hi', clientMsgId: 'c1' });
    expect(again).toEqual(first);
    expect(events.ofType('message')).toHaveLength(1);
    expect((await messages.list({ roomId, userToken, afterId: 0 })).messages).toHaveLength(1);
  });

  it.each([
    ['a'.repeat(1001), 'MESSAGE_TOO_LONG'],
    ['   ', 'MESSAGE_EMPTY'],
    ['bad \udc00', 'VALIDATION_ERROR'],
  ])('rejects %j with %s and stores nothing', async (text, code) => {
    const { messages, roomId, userToken, events } = await joined();
    await expect(messages.send({ roomId, userToken, text })).rejects.toMatchObject({ code });
    expect(events.ofType('message')).toHaveLength(0);
    expect((await messages.list({ roomId, userToken, afterId: 0 })).messages).toEqual([]);
  });

  it('uses MAX_MESSAGE_LENGTH in code points', async () => {
    const { messages, roomId, userToken } = await joined({ MAX_MESSAGE_LENGTH: '3' });
    await expect(messages.send({ roomId, userToken, text: '😀😀😀' })).resolves.toBeDefined();
    await expect(messages.send({ roomId, userToken, text: 'abcd' })).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LONG',
    });
  });

  it('keeps HISTORY_LIMIT messages and lists after an id with truncation', async () => {
    const { messages, roomId, userToken } = await joined({ HISTORY_LIMIT: '3' });
    for (let i = 1; i <= 6; i++) await messages.send({ roomId, userToken, text: `m${i}` });
    const page = await messages.list({ roomId, userToken, afterId: 1 });
    expect(page.messages.map((m) => m.text)).toEqual(['m4', 'm5', 'm6']);
    expect(page.truncated).toBe(true);
    expect(await messages.list({ roomId, userToken, afterId: 5 })).toMatchObject({
      truncated: false,
      messages: [{ id: 6 }],
    });
  });

  it('sending keeps the room alive; silence past the idle timeout kills it', async () => {
    const { messages, roomId, userToken, clock } = await joined({ ROOM_IDLE_TIMEOUT_SEC: '60' });
    for (let i = 0; i < 5; i++) {
      clock.advance(59_000);
      await messages.send({ roomId, userToken, text: 'still here' });
    }
    clock.advance(60_000);
    await expect(messages.send({ roomId, userToken, text: 'too late' })).rejects.toMatchObject({
      code: 'ROOM_NOT_FOUND',
    });
  });

  it('the room dies at its max age whatever happens', async () => {
    const { messages, roomId, userToken, clock } = await joined({
      ROOM_IDLE_TIMEOUT_SEC: '60',
      ROOM_MAX_TTL_SEC: '100',
    });
    clock.advance(50_000);
    await messages.send({ roomId, userToken, text: 'a' });
    clock.advance(50_000);
    await expect(messages.send({ roomId, userToken, text: 'b' })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
  });

  it('rejects a token of another room with TOKEN_INVALID', async () => {
    const { messages, creation, userToken } = await joined();
    const other = await creation.createRoom();
    await expect(messages.send({ roomId: other.roomId, userToken, text: 'x' })).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    });
    await expect(messages.list({ roomId: other.roomId, userToken, afterId: 0 })).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    });
  });
});
