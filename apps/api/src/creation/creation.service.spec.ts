import { RoomNotFoundError } from '../common/domain-errors';
import { serviceFixture } from '../testing/service-fixture';

describe('CreationService', () => {
  it('creates a room with a 22-character base64url id and its two deadlines', async () => {
    const { creation, clock } = serviceFixture();
    const room = await creation.createRoom();
    expect(room.roomId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(room.createdAt).toBe(new Date(clock.now()).toISOString());
    expect(Date.parse(room.expiresAt) - clock.now()).toBe(43_200_000);
    expect(Date.parse(room.idleExpiresAt) - clock.now()).toBe(300_000);
  });

  it('never repeats a room id', async () => {
    const { creation } = serviceFixture({ MAX_ROOMS: '500' });
    const ids = new Set<string>();
    for (let i = 0; i < 500; i++) ids.add((await creation.createRoom()).roomId);
    expect(ids.size).toBe(500);
  });

  it('refuses past MAX_ROOMS until a room expires', async () => {
    const { creation, clock } = serviceFixture({ MAX_ROOMS: '1', ROOM_IDLE_TIMEOUT_SEC: '60' });
    await creation.createRoom();
    clock.advance(10_000);
    await expect(creation.createRoom()).rejects.toMatchObject({ code: 'ROOM_LIMIT_REACHED', retryAfterMs: 50_000 });
    clock.advance(50_000);
    await expect(creation.createRoom()).resolves.toHaveProperty('roomId');
  });

  it('describes a live room and answers ROOM_NOT_FOUND alike for unknown, malformed and expired ids', async () => {
    const { creation, joins, clock, connection } = serviceFixture();
    const room = await creation.createRoom();
    await joins.join({ roomId: room.roomId, nick: 'ann' }, connection());
    expect(await creation.describeRoom(room.roomId)).toMatchObject({
      roomId: room.roomId,
      members: [{ nick: 'ann', online: true, memberId: expect.any(String) }],
      lastMessageId: 0,
    });
    await expect(creation.describeRoom('A'.repeat(22))).rejects.toBeInstanceOf(RoomNotFoundError);
    await expect(creation.describeRoom('__proto__')).rejects.toBeInstanceOf(RoomNotFoundError);
    clock.advance(300_000);
    await expect(creation.describeRoom(room.roomId)).rejects.toBeInstanceOf(RoomNotFoundError);
  });
});
