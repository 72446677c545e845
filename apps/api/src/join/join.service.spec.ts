import { serviceFixture } from '../testing/service-fixture';

describe('JoinService', () => {
  async function roomWithFixture(env: Record<string, string> = {}) {
    const f = serviceFixture(env);
    const { roomId } = await f.creation.createRoom();
    return { ...f, roomId };
  }

  it('joins with a nick: new 43-character token, subscription, history and presence', async () => {
    const { joins, events, roomId, connection } = await roomWithFixture();
    const conn = connection();
    const { result } = await joins.join({ roomId, nick: '  Ann ' }, conn);
    expect(result.nick).toBe('Ann');
    expect(result.userToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.members).toEqual([{ nick: 'Ann', online: true, memberId: expect.any(String) }]);
    expect(result.messages).toEqual([]);
    expect(result.limits).toEqual({ maxMessageLength: 1000, historyLimit: 200, idleTimeoutSec: 300 });
    expect(conn.subscribed).toEqual([roomId]);
    expect(events.ofType('presence')).toEqual([
      { type: 'presence', roomId, members: [{ nick: 'Ann', online: true, memberId: expect.any(String) }] },
    ]);
  });

  it('relays room:typing at most once a second per member, never for a bad token', async () => {
    const { joins, events, roomId, connection, clock } = await roomWithFixture();
    const ann = await joins.join({ roomId, nick: 'Ann' }, connection());
    const typing = { roomId, userToken: ann.result.userToken };
    for (let i = 0; i < 5; i++) await expect(joins.typing(typing)).resolves.toEqual({});
    expect(events.ofType('typing')).toEqual([{ type: 'typing', roomId, memberId: ann.memberId, nick: 'Ann' }]);
    clock.advance(1000);
    await joins.typing(typing);
    expect(events.ofType('typing')).toHaveLength(2);
    await expect(joins.typing({ roomId, userToken: 'x'.repeat(43) })).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('rejects case and NFKC variants of a taken nick with NICK_TAKEN', async () => {
    const { joins, roomId, connection } = await roomWithFixture();
    await joins.join({ roomId, nick: 'Ann' }, connection());
    await expect(joins.join({ roomId, nick: 'aNN' }, connection())).rejects.toMatchObject({ code: 'NICK_TAKEN' });
    await expect(joins.join({ roomId, nick: 'Ａｎｎ' }, connection())).rejects.toMatchObject({ code: 'NICK_TAKEN' });
  });

  it('comes back with the token as the same member, never a new one, and refreshes the idle deadline', async () => {
    const { joins, clock, roomId, connection } = await roomWithFixture();
    const first = await joins.join({ roomId, nick: 'Ann' }, connection());
    clock.advance(200_000);
    const again = await joins.join({ roomId, userToken: first.result.userToken }, connection());
    expect(again.memberId).toBe(first.memberId);
    // Internal ids: 128 random bits, base64url (one flat string per member, not a UUID built from pieces).
    expect(first.memberId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const other = await joins.join({ roomId, nick: 'Bob' }, connection());
    expect(other.memberId).not.toBe(first.memberId);
    expect(again.result.nick).toBe('Ann');
    expect(again.result.userToken).toBe(first.result.userToken);
    expect(again.result.members).toEqual([{ nick: 'Ann', online: true, memberId: expect.any(String) }]);
    expect(Date.parse(again.result.idleExpiresAt)).toBe(clock.now() + 300_000);
  });

  it('rejects a forged token and a token of another room with TOKEN_INVALID', async () => {
    const { joins, creation, roomId, connection } = await roomWithFixture();
    const other = await creation.createRoom();
    const { result } = await joins.join({ roomId, nick: 'Ann' }, connection());
    await expect(joins.join({ roomId: other.roomId, userToken: result.userToken }, connection())).rejects.toMatchObject(
      {
        code: 'TOKEN_INVALID',
      },
    );
    await expect(joins.join({ roomId, userToken: 'x'.repeat(43) }, connection())).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    });
  });

  it('goes offline only when the last connection closes, and says so once', async () => {
    const { joins, events, roomId, connection, creation } = await roomWithFixture();
    const c1 = connection();
    const c2 = connection();
    const { result, memberId } = await joins.join({ roomId, nick: 'Ann' }, c1);
    await joins.join({ roomId, userToken: result.userToken }, c2);
    expect(events.ofType('presence')).toHaveLength(1);
    await joins.disconnect(roomId, memberId, c1.id);
    expect(events.ofType('presence')).toHaveLength(1);
    await joins.disconnect(roomId, memberId, c2.id);
    expect(events.ofType('presence').at(-1)?.members).toEqual([
      { nick: 'Ann', online: false, memberId: expect.any(String) },
    ]);
    expect((await creation.describeRoom(roomId)).members).toEqual([
      { nick: 'Ann', online: false, memberId: expect.any(String) },
    ]);
  });

  it('leave removes the member, frees the nick and kills the token', async () => {
    const { joins, events, roomId, connection } = await roomWithFixture();
    const { result, memberId } = await joins.join({ roomId, nick: 'Ann' }, connection());
    await joins.leave({ roomId, userToken: result.userToken });
    expect(events.ofType('removed')).toEqual([{ type: 'removed', roomId, memberId }]);
    expect(events.ofType('presence').at(-1)?.members).toEqual([]);
    await expect(joins.join({ roomId, userToken: result.userToken }, connection())).rejects.toMatchObject({
      code: 'TOKEN_INVALID',
    });
    await expect(joins.join({ roomId, nick: 'ann' }, connection())).resolves.toBeDefined();
  });

  it('answers ROOM_NOT_FOUND for an expired room before any cleanup', async () => {
    const { joins, clock, roomId, connection } = await roomWithFixture();
    clock.advance(300_000);
    await expect(joins.join({ roomId, nick: 'Ann' }, connection())).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
  });

  it('rejects invalid nicks with NICK_INVALID', async () => {
    const { joins, roomId, connection } = await roomWithFixture();
    await expect(joins.join({ roomId, nick: 'a\u202eb' }, connection())).rejects.toMatchObject({
      code: 'NICK_INVALID',
    });
    await expect(joins.join({ roomId, nick: 'x'.repeat(33) }, connection())).rejects.toMatchObject({
      code: 'NICK_INVALID',
    });
  });
});
