import { join, startServer, type TestServer } from './support/test-server';

describe('message:list rate limit per member (in-process server)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ RATE_LISTS_PER_SEC: '5' });
  });
  afterAll(() => server.close());

  it('answers a burst of 10 and refuses the rest with RATE_LIMITED and retryAfterMs; another member is not affected', async () => {
    const { roomId } = await server.createRoom();
    const client = await server.connect();
    const { userToken } = await join(client, roomId, 'reader');
    // One after the other: requests sent together are also held to a few at a time by the output bound.
    const acks = [];
    for (let i = 0; i < 14; i++) acks.push(await client.emitWithAck('message:list', { roomId, userToken, afterId: 0 }));
    expect(acks.filter((ack) => ack.ok)).toHaveLength(10);
    for (const ack of acks.filter((a) => !a.ok))
      expect(ack).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) } });
    const other = await join(client, roomId, 'other');
    expect(await client.emitWithAck('message:list', { roomId, userToken: other.userToken, afterId: 0 })).toMatchObject({
      ok: true,
      data: { messages: [], truncated: false, hasMore: false },
    });
  });
});
