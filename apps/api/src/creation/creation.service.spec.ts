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

  it('returns a 43-character owner key and stores only its hash', async () => {
    const { creation, repo, clock } = serviceFixture();
    const room = await creation.createRoom();
    expect(room.ownerKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await repo.getRoom(room.roomId, clock.now());
    expect(JSON.stringify(stored)).not.toContain(room.ownerKey);
    expect(stored?.ownerKeyHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('closes a room for its key or its creator, tells its members "closed", and refuses anyone else', async () => {
    const { creation, events } = serviceFixture();
    const byKey = await creation.createRoom();
    const other = await creation.createRoom();
    await expect(creation.closeRoom(byKey.roomId, { ownerKey: other.ownerKey })).rejects.toMatchObject({
      code: 'NOT_ROOM_OWNER',
    });
    await expect(creation.closeRoom(byKey.roomId, { userId: 'someone' })).rejects.toMatchObject({
      code: 'NOT_ROOM_OWNER',
    });
    await creation.closeRoom(byKey.roomId, { ownerKey: byKey.ownerKey });
    const mine = await creation.createRoom('issuer#ann');
    await creation.closeRoom(mine.roomId, { userId: 'issuer#ann' });
    expect(events.events.filter((e) => e.type === 'closed')).toEqual([
      { type: 'closed', roomId: byKey.roomId, reason: 'closed' },
      { type: 'closed', roomId: mine.roomId, reason: 'closed' },
    ]);
    await expect(creation.describeRoom(byKey.roomId)).rejects.toBeInstanceOf(RoomNotFoundError);
  });

  it('caps a signed-in user at MAX_ROOMS_PER_USER with the wait until their earliest room expires', async () => {
    const { creation, clock } = serviceFixture({
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: 'https://id.example.com',
      OIDC_CLIENT_ID: 'c',
      OIDC_CLIENT_SECRET: 's',
      PUBLIC_URL: 'https://chat.example.com',
      SESSION_SECRET: 'x'.repeat(32),
      MAX_ROOMS_PER_USER: '2',
      ROOM_IDLE_TIMEOUT_SEC: '60',
    });
    await creation.createRoom('u#1');
    clock.advance(10_000);
    await creation.createRoom('u#1');
    await expect(creation.createRoom('u#1')).rejects.toMatchObject({
      code: 'ROOM_LIMIT_REACHED',
      retryAfterMs: 50_000,
    });
    await expect(creation.createRoom('u#2')).resolves.toHaveProperty('ownerKey');
    clock.advance(50_000);
    await expect(creation.createRoom('u#1')).resolves.toHaveProperty('ownerKey');
  });
});
