/** The one behaviour spec every RoomRepository implementation must pass. */
import {
  NickTakenError,
  NotRoomOwnerError,
  RateLimitedError,
  RoomFullError,
  RoomLimitReachedError,
  RoomNotFoundError,
  TokenInvalidError,
} from '../common/domain-errors';
import { NewMember, RoomRecord, RoomRepository } from './room-repository';

// Real time: the Redis implementation also sets key TTLs from these instants.
const T0 = Math.floor(Date.now() / 1000) * 1000;
const IDLE = 300_000;
const TTL = 43_200_000;
const OPTS = { historyLimit: 5, idleExpiresAt: T0 + IDLE };

let counter = 0;
const roomRecord = (createdAt = T0): RoomRecord => ({
  roomId: `room${String(++counter).padStart(18, '0')}`,
  createdAt,
  expiresAt: createdAt + TTL,
  idleExpiresAt: createdAt + IDLE,
  lastMessageId: 0,
});
const member = (nick: string, id = nick): NewMember => ({
  memberId: `m-${id}`,
  publicId: `p-${id}`,
  nick,
  nickKey: nick.toLowerCase(),
  tokenHash: `hash-${id}`,
});
/** A message from the member created by member(id) (its token hash is `hash-<id>`). */
const draft = (id: string, text: string, clientMsgId?: string) => ({
  tokenHash: `hash-${id}`,
  text,
  clientMsgId,
  sentAt: T0,
});

export function describeRoomRepositoryContract(
  name: string,
  create: () => Promise<RoomRepository>,
  dispose: (repo: RoomRepository) => Promise<void> = async () => undefined,
): void {
  describe(`RoomRepository contract: ${name}`, () => {
    let repo: RoomRepository;
    beforeEach(async () => {
      repo = await create();
    });
    afterEach(async () => {
      await dispose(repo);
    });

    async function addMembers(room: RoomRecord, ...ids: string[]): Promise<void> {
      for (const id of ids)
        await repo.addMember(room.roomId, member(id), { idleExpiresAt: T0 + IDLE, maxMembers: 100 }, T0);
    }

    async function newRoom(createdAt = T0): Promise<RoomRecord> {
      const room = roomRecord(createdAt);
      await repo.createRoom(room, 1000, createdAt);
      return room;
    }

    it('tells a listener of a room its messages in id order, from when listen() resolves', async () => {
      const room = await newRoom();
      await addMembers(room, 'a');
      const heard: string[] = [];
      repo.onMessageStored((m) => {
        if (m.roomId === room.roomId) heard.push(`${m.id}:${m.text}`);
      });
      await repo.listen(room.roomId);
      await repo.listen(room.roomId);
      for (let i = 1; i <= 5; i++) await repo.appendMessage(room.roomId, draft('a', `t${i}`), OPTS, T0);
      const deadline = Date.now() + 5000;
      while (heard.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(heard).toEqual(['1:t1', '2:t2', '3:t3', '4:t4', '5:t5']);
    });

    it('returns a created room and null for an unknown one', async () => {
      const room = await newRoom();
      expect(await repo.getRoom(room.roomId, T0)).toEqual(room);
      expect(await repo.getRoom('nope', T0)).toBeNull();
      expect(await repo.getRoom('__proto__', T0)).toBeNull();
    });

    it('treats a room as gone from its idle deadline or its max age on, before any cleanup', async () => {
      const room = await newRoom();
      expect(await repo.getRoom(room.roomId, T0 + IDLE - 1)).not.toBeNull();
      expect(await repo.getRoom(room.roomId, T0 + IDLE)).toBeNull();
      await expect(repo.listMessages(room.roomId, 0, T0 + IDLE)).rejects.toBeInstanceOf(RoomNotFoundError);
      await expect(
        repo.addMember(room.roomId, member('a'), { idleExpiresAt: T0 + 2 * IDLE, maxMembers: 100 }, T0 + IDLE),
      ).rejects.toBeInstanceOf(RoomNotFoundError);
    });

    it('moves the idle deadline on join, touch and append, but never past death by max age', async () => {
      const room = await newRoom();
      await repo.addMember(room.roomId, member('a'), { idleExpiresAt: T0 + 1000 + IDLE, maxMembers: 100 }, T0 + 1000);
      expect((await repo.getRoom(room.roomId, T0))?.idleExpiresAt).toBe(T0 + 1000 + IDLE);
      await repo.touchRoom(room.roomId, T0 + 2000 + IDLE, T0 + 2000);
      expect((await repo.getRoom(room.roomId, T0))?.idleExpiresAt).toBe(T0 + 2000 + IDLE);
      await repo.appendMessage(
        room.roomId,
        draft('a', 'x'),
        { historyLimit: 5, idleExpiresAt: T0 + 3000 + IDLE },
        T0 + 3000,
      );
      expect((await repo.getRoom(room.roomId, T0))?.idleExpiresAt).toBe(T0 + 3000 + IDLE);
      expect(await repo.getRoom(room.roomId, T0 + TTL)).toBeNull();
    });

    it('refuses a room over the cap with a retry hint, and an expired room frees its slot', async () => {
      const a = roomRecord();
      await repo.createRoom(a, 2, T0);
      await repo.createRoom(roomRecord(), 2, T0);
      const refused = repo.createRoom(roomRecord(), 2, T0 + 1000);
      await expect(refused).rejects.toBeInstanceOf(RoomLimitReachedError);
      await expect(refused).rejects.toMatchObject({
        retryAfterMs: IDLE - 1000,
      });
      await repo.touchRoom(a.roomId, T0 + 10_000 + IDLE, T0 + 10_000);
      await expect(repo.createRoom(roomRecord(T0 + IDLE), 2, T0 + IDLE)).resolves.toBeUndefined();
    });

    const owned = (ownerId: string, createdAt = T0): RoomRecord => ({
      ...roomRecord(createdAt),
      ownerKeyHash: `key-of-${ownerId}`,
      ownerId,
    });

    it('caps the live rooms of one owner exactly under concurrent creation, with a retry hint', async () => {
      const attempts = await Promise.allSettled(
        Array.from({ length: 12 }, () => repo.createRoom(owned('alice'), 1000, T0, 3)),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(3);
      const refusals = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(refusals.map((r) => r.reason)).toEqual(Array(9).fill(expect.any(RoomLimitReachedError)));
      expect(refusals[0]?.reason).toMatchObject({ retryAfterMs: IDLE });
      // Another owner and anonymous rooms are not counted against alice.
      await expect(repo.createRoom(owned('bob'), 1000, T0, 3)).resolves.toBeUndefined();
      await expect(repo.createRoom(roomRecord(), 1000, T0)).resolves.toBeUndefined();
      expect(await repo.listRoomsOf('alice', T0)).toHaveLength(3);
    });

    it("frees an owner's slot the moment one of its rooms expires or is closed", async () => {
      const first = owned('carol');
      await repo.createRoom(first, 1000, T0, 2);
      const second = owned('carol', T0 + 5000);
      await repo.createRoom(second, 1000, T0 + 5000, 2);
      await expect(repo.createRoom(owned('carol', T0 + 6000), 1000, T0 + 6000, 2)).rejects.toBeInstanceOf(
        RoomLimitReachedError,
      );
      await repo.closeRoom(second.roomId, { userId: 'carol' }, T0 + 7000);
      await expect(repo.createRoom(owned('carol', T0 + 7000), 1000, T0 + 7000, 2)).resolves.toBeUndefined();
      // `first` dies at T0 + IDLE: from then on carol has a free slot again.
      await expect(repo.createRoom(owned('carol', T0 + IDLE), 1000, T0 + IDLE, 2)).resolves.toBeUndefined();
    });

    it('closes a room for its owner key or its creator only, at once, and frees its global slot', async () => {
      const byKey = owned('dave');
      const byUser = owned('dave');
      await repo.createRoom(byKey, 2, T0);
      await repo.createRoom(byUser, 2, T0);
      await expect(
        repo.closeRoom(byKey.roomId, { ownerKeyHash: 'key-of-eve', userId: 'eve' }, T0),
      ).rejects.toBeInstanceOf(NotRoomOwnerError);
      await expect(repo.closeRoom(byKey.roomId, {}, T0)).rejects.toBeInstanceOf(NotRoomOwnerError);
      await repo.closeRoom(byKey.roomId, { ownerKeyHash: 'key-of-dave' }, T0);
      expect(await repo.getRoom(byKey.roomId, T0)).toBeNull();
      await expect(repo.listMessages(byKey.roomId, 0, T0)).rejects.toBeInstanceOf(RoomNotFoundError);
      await expect(repo.closeRoom(byKey.roomId, { ownerKeyHash: 'key-of-dave' }, T0)).rejects.toBeInstanceOf(
        RoomNotFoundError,
      );
      await repo.closeRoom(byUser.roomId, { userId: 'dave' }, T0);
      await expect(repo.createRoom(roomRecord(), 2, T0)).resolves.toBeUndefined();
      await expect(repo.createRoom(roomRecord(), 2, T0)).resolves.toBeUndefined();
      // A closed room is not reported again by the expiry sweep.
      expect((await repo.takeExpiredRooms(T0 + TTL)).map((c) => c.roomId)).not.toContain(byKey.roomId);
    });

    it('lists the live rooms a user created, oldest first, with their member counts', async () => {
      const older = owned('fay', T0 - 1000);
      const newer = owned('fay');
      await repo.createRoom(older, 1000, T0 - 1000, 10);
      await repo.createRoom(newer, 1000, T0, 10);
      await repo.createRoom(owned('gus'), 1000, T0, 10);
      await addMembers(newer, 'a', 'b');
      const listed = await repo.listRoomsOf('fay', T0);
      expect(listed.map((r) => [r.roomId, r.memberCount])).toEqual([
        [older.roomId, 0],
        [newer.roomId, 2],
      ]);
      expect(listed[0]).toMatchObject({ createdAt: older.createdAt, expiresAt: older.expiresAt });
      expect(await repo.listRoomsOf('fay', T0 - 1000 + IDLE)).toHaveLength(1);
      expect(await repo.listRoomsOf('nobody', T0)).toEqual([]);
    });

    it('keeps nicks unique by key and frees a nick when its member leaves', async () => {
      const room = await newRoom();
      await repo.addMember(room.roomId, member('Ann', 'a1'), { idleExpiresAt: T0 + IDLE, maxMembers: 100 }, T0);
      await expect(
        repo.addMember(room.roomId, member('ANN', 'a2'), { idleExpiresAt: T0 + IDLE, maxMembers: 100 }, T0),
      ).rejects.toBeInstanceOf(NickTakenError);
      await repo.removeMember(room.roomId, 'm-a1', T0);
      await expect(
        repo.addMember(room.roomId, member('ANN', 'a2'), { idleExpiresAt: T0 + IDLE, maxMembers: 100 }, T0),
      ).resolves.toBeDefined();
      expect(await repo.listMembers(room.roomId, T0)).toEqual([{ nick: 'ANN', online: false, memberId: 'p-a2' }]);
    });

    it('refuses a member past maxMembers with ROOM_FULL; leaving frees the place', async () => {
      const room = await newRoom();
      const opts = { idleExpiresAt: T0 + IDLE, maxMembers: 2 };
      await repo.addMember(room.roomId, member('a'), opts, T0);
      await repo.addMember(room.roomId, member('b'), opts, T0);
      await expect(repo.addMember(room.roomId, member('c'), opts, T0)).rejects.toBeInstanceOf(RoomFullError);
      await repo.removeMember(room.roomId, 'm-a', T0);
      await expect(repo.addMember(room.roomId, member('c'), opts, T0)).resolves.toBeDefined();
      await expect(repo.addMember(room.roomId, member('d'), opts, T0)).rejects.toBeInstanceOf(RoomFullError);
    });

    it('lets a full room retire the member offline the longest once it has been offline reclaimAfterMs', async () => {
      const RECLAIM = 60_000;
      const room = await newRoom();
      const opts = { idleExpiresAt: T0 + IDLE, maxMembers: 3, reclaimAfterMs: RECLAIM };
      for (const id of ['a', 'b', 'c']) await repo.addMember(room.roomId, member(id), opts, T0);
      for (const id of ['a', 'b', 'c']) await repo.addConnection(room.roomId, `m-${id}`, `c-${id}`, T0);
      await repo.appendMessage(room.roomId, draft('b', 'from b'), OPTS, T0);
      await repo.removeConnection(room.roomId, 'm-a', 'c-a', T0 + 1000);
      await repo.removeConnection(room.roomId, 'm-b', 'c-b', T0 + 500);
      // b went offline first, but not RECLAIM ago yet: every member was online within the window.
      const early = T0 + 500 + RECLAIM - 1;
      await expect(repo.addMember(room.roomId, member('d'), opts, early)).rejects.toBeInstanceOf(RoomFullError);
      await repo.addMember(room.roomId, member('d'), opts, T0 + 500 + RECLAIM);
      await expect(repo.authenticate(room.roomId, 'hash-b', T0 + 500 + RECLAIM)).rejects.toBeInstanceOf(
        TokenInvalidError,
      );
      const later = T0 + 1000 + RECLAIM;
      expect((await repo.listMessages(room.roomId, 0, later)).messages.map((m) => m.text)).toEqual(['from b']);
      // The room is full again (a, c, d): a is retired next, and b's nick is free for someone new.
      await repo.addMember(room.roomId, member('b', 'b2'), opts, later);
      expect((await repo.listMembers(room.roomId, later)).map((m) => m.nick)).toEqual(['c', 'd', 'b']);
      // c is online and d, b2 joined within the window (offline from their join on, never connected): full.
      await expect(repo.addMember(room.roomId, member('e'), opts, later + 1)).rejects.toBeInstanceOf(RoomFullError);
      expect(await repo.addConnection(room.roomId, 'm-c', 'c-c2', later)).toBe(false);
    });

    it('never retires a member when reclaimAfterMs is 0', async () => {
      const room = await newRoom();
      const opts = { idleExpiresAt: T0 + IDLE, maxMembers: 1, reclaimAfterMs: 0 };
      await repo.addMember(room.roomId, member('a'), opts, T0);
      await expect(repo.addMember(room.roomId, member('b'), opts, T0 + IDLE - 1)).rejects.toBeInstanceOf(RoomFullError);
      await expect(repo.authenticate(room.roomId, 'hash-a', T0 + IDLE - 1)).resolves.toMatchObject({ nick: 'a' });
    });

    it('authenticates a token only in its own room', async () => {
      const room = await newRoom();
      const other = await newRoom();
      await repo.addMember(room.roomId, member('a'), { idleExpiresAt: T0 + IDLE, maxMembers: 100 }, T0);
      await expect(repo.authenticate(room.roomId, 'hash-a', T0)).resolves.toEqual({
        memberId: 'm-a',
        publicId: 'p-a',
        nick: 'a',
      });
      await expect(repo.authenticate(other.roomId, 'hash-a', T0)).rejects.toBeInstanceOf(TokenInvalidError);
      await expect(repo.authenticate(room.roomId, 'hash-b', T0)).rejects.toBeInstanceOf(TokenInvalidError);
      await repo.removeMember(room.roomId, 'm-a', T0);
      await expect(repo.authenticate(room.roomId, 'hash-a', T0)).rejects.toBeInstanceOf(TokenInvalidError);
    });

    it('counts a member online while any of its connections is live', async () => {
      const room = await newRoom();
      await repo.addMember(room.roomId, member('a'), { idleExpiresAt: T0 + IDLE, maxMembers: 100 }, T0);
      await repo.addMember(room.roomId, member('b'), { idleExpiresAt: T0 + IDLE, maxMembers: 100 }, T0);
      expect(await repo.addConnection(room.roomId, 'm-a', 'c1', T0)).toBe(true);
      expect(await repo.addConnection(room.roomId, 'm-a', 'c2', T0)).toBe(false);
      expect(await repo.listMembers(room.roomId, T0)).toEqual([
        { nick: 'a', online: true, memberId: 'p-a' },
        { nick: 'b', online: false, memberId: 'p-b' },
      ]);
      expect(await repo.removeConnection(room.roomId, 'm-a', 'c1', T0)).toBe(false);
      expect(await repo.removeConnection(room.roomId, 'm-a', 'c2', T0)).toBe(true);
      expect(await repo.removeConnection(room.roomId, 'm-a', 'c2', T0)).toBe(false);
      expect(await repo.removeConnection('gone-room', 'm-a', 'c2', T0)).toBe(false);
      expect(await repo.listMembers(room.roomId, T0)).toEqual([
        { nick: 'a', online: false, memberId: 'p-a' },
        { nick: 'b', online: false, memberId: 'p-b' },
      ]);
    });

    it('assigns one gapless sequence to concurrent appends', async () => {
      const room = await newRoom();
      await repo.addMember(room.roomId, member('a'), { idleExpiresAt: T0 + IDLE, maxMembers: 100 }, T0);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          repo.appendMessage(room.roomId, draft('a', `t${i}`), { historyLimit: 1000, idleExpiresAt: T0 + IDLE }, T0),
        ),
      );
      expect(results.map((r) => r.message.id).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 100 }, (_, i) => i + 1),
      );
      const page = await repo.listMessages(room.roomId, 0, T0);
      expect(page.messages.map((m) => m.id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect((await repo.getRoom(room.roomId, T0))?.lastMessageId).toBe(100);
    });

    it('stores text unchanged with the message fields of the contract', async () => {
      const room = await newRoom();
      await addMembers(room, 'a');
      const text = '  <b>hi</b>\n😀 e\u0301  ';
      const { message } = await repo.appendMessage(room.roomId, draft('a', text, 'c-1'), OPTS, T0);
      expect(message).toEqual({
        id: 1,
        roomId: room.roomId,
        nick: 'a',
        memberId: 'p-a',
        text,
        sentAt: new Date(T0).toISOString(),
        clientMsgId: 'c-1',
      });
      const { message: plain } = await repo.appendMessage(room.roomId, draft('a', 'x'), OPTS, T0);
      expect(plain).not.toHaveProperty('clientMsgId');
    });

    it('lets a member touch the room once per interval; a left member and an unknown token are refused', async () => {
      const room = await newRoom();
      await addMembers(room, 'a', 'b');
      const opts = (at: number) => ({ idleExpiresAt: at + IDLE, minIntervalMs: 30_000 });
      expect((await repo.touchByMember(room.roomId, 'hash-a', opts(T0 + 1000), T0 + 1000)).idleExpiresAt).toBe(
        T0 + 1000 + IDLE,
      );
      await expect(repo.touchByMember(room.roomId, 'hash-a', opts(T0 + 5000), T0 + 5000)).rejects.toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterMs: 26_000,
      });
      await expect(repo.touchByMember(room.roomId, 'hash-a', opts(T0 + 5000), T0 + 5000)).rejects.toBeInstanceOf(
        RateLimitedError,
      );
      expect((await repo.getRoom(room.roomId, T0 + 5000))?.idleExpiresAt).toBe(T0 + 1000 + IDLE);
      expect((await repo.touchByMember(room.roomId, 'hash-b', opts(T0 + 5000), T0 + 5000)).idleExpiresAt).toBe(
        T0 + 5000 + IDLE,
      );
      expect((await repo.touchByMember(room.roomId, 'hash-a', opts(T0 + 31_000), T0 + 31_000)).idleExpiresAt).toBe(
        T0 + 31_000 + IDLE,
      );
      await repo.removeMember(room.roomId, 'm-a', T0);
      await expect(repo.touchByMember(room.roomId, 'hash-a', opts(T0 + 90_000), T0 + 90_000)).rejects.toBeInstanceOf(
        TokenInvalidError,
      );
    });

    it('carries the public id of each sender in stored and listed messages, apart for a reused nick', async () => {
      const room = await newRoom();
      await repo.addMember(room.roomId, member('Bob', 'b1'), { idleExpiresAt: T0 + IDLE, maxMembers: 100 }, T0);
      await repo.appendMessage(room.roomId, draft('b1', 'old'), OPTS, T0);
      await repo.removeMember(room.roomId, 'm-b1', T0);
      await repo.addMember(room.roomId, member('Bob', 'b2'), { idleExpiresAt: T0 + IDLE, maxMembers: 100 }, T0);
      const { message } = await repo.appendMessage(room.roomId, draft('b2', 'new'), OPTS, T0);
      expect(message.memberId).toBe('p-b2');
      const { messages } = await repo.listMessages(room.roomId, 0, T0);
      expect(messages.map((m) => [m.nick, m.memberId, m.text])).toEqual([
        ['Bob', 'p-b1', 'old'],
        ['Bob', 'p-b2', 'new'],
      ]);
    });

    it('trims history to the limit and reports truncation after afterId', async () => {
      const room = await newRoom();
      await addMembers(room, 'a');
      for (let i = 1; i <= 8; i++) await repo.appendMessage(room.roomId, draft('a', `t${i}`), OPTS, T0);
      const all = await repo.listMessages(room.roomId, 0, T0);
      expect(all.messages.map((m) => m.id)).toEqual([4, 5, 6, 7, 8]);
      expect(all.truncated).toBe(true);
      expect(await repo.listMessages(room.roomId, 2, T0)).toMatchObject({
        truncated: true,
      });
      const fromThree = await repo.listMessages(room.roomId, 3, T0);
      expect(fromThree).toMatchObject({ truncated: false });
      expect(fromThree.messages.map((m) => m.id)).toEqual([4, 5, 6, 7, 8]);
      expect(await repo.listMessages(room.roomId, 6, T0)).toEqual({
        messages: all.messages.slice(3),
        truncated: false,
        epoch: expect.any(String),
      });
      expect(await repo.listMessages(room.roomId, 8, T0)).toEqual({
        messages: [],
        truncated: false,
        epoch: expect.any(String),
      });
      expect(await repo.listMessages(room.roomId, 99, T0)).toEqual({
        messages: [],
        truncated: false,
        epoch: expect.any(String),
      });
    });

    it('returns the original for a resent clientMsgId of the same member only', async () => {
      const room = await newRoom();
      await addMembers(room, 'a', 'b');
      const first = await repo.appendMessage(room.roomId, draft('a', 'hello', 'c-1'), OPTS, T0);
      const again = await repo.appendMessage(room.roomId, draft('a', 'hello', 'c-1'), OPTS, T0 + 5);
      expect(again).toEqual({ message: first.message, duplicate: true, epoch: first.epoch });
      const otherMember = await repo.appendMessage(room.roomId, draft('b', 'hello', 'c-1'), OPTS, T0);
      expect(otherMember.duplicate).toBe(false);
      expect(otherMember.message.id).toBe(2);
      expect((await repo.listMessages(room.roomId, 0, T0)).messages).toHaveLength(2);
    });

    it('forgets the clientMsgId of a message trimmed out of history: resending it stores a new message', async () => {
      const room = await newRoom();
      await addMembers(room, 'a');
      const first = await repo.appendMessage(room.roomId, draft('a', 'hello', 'c-1'), OPTS, T0);
      for (let i = 2; i <= OPTS.historyLimit; i++)
        await repo.appendMessage(room.roomId, draft('a', `t${i}`, `c-${i}`), OPTS, T0);
      // Still in history: the original comes back.
      expect(await repo.appendMessage(room.roomId, draft('a', 'hello', 'c-1'), OPTS, T0)).toEqual({
        message: first.message,
        duplicate: true,
        epoch: expect.any(String),
      });
      await repo.appendMessage(room.roomId, draft('a', 'pushes c-1 out', 'c-next'), OPTS, T0);
      const resent = await repo.appendMessage(room.roomId, draft('a', 'hello', 'c-1'), OPTS, T0);
      expect(resent.duplicate).toBe(false);
      expect(resent.message.id).toBe(OPTS.historyLimit + 2);
      const ids = (await repo.listMessages(room.roomId, 0, T0)).messages.map((m) => m.id);
      expect(ids).toEqual(Array.from({ length: OPTS.historyLimit }, (_, i) => i + 3));
    });

    it('keeps the same history and de-duplication window over many trims', async () => {
      const room = await newRoom();
      await addMembers(room, 'a');
      // Well past any batching of the trims a store may do (Redis trims every TRIM_SLACK messages).
      const total = 3 * (OPTS.historyLimit + 40) + 1;
      for (let i = 1; i <= total; i++) {
        await repo.appendMessage(room.roomId, draft('a', `t${i}`, `c-${i}`), OPTS, T0);
        if (i % 17 !== 0 && i !== total) continue;
        const kept = Array.from(
          { length: Math.min(i, OPTS.historyLimit) },
          (_, k) => i - Math.min(i, OPTS.historyLimit) + 1 + k,
        );
        const all = await repo.listMessages(room.roomId, 0, T0);
        expect(all.messages.map((m) => m.id)).toEqual(kept);
        expect(all.truncated).toBe(i > OPTS.historyLimit);
        expect((await repo.listMessages(room.roomId, i - 2, T0)).messages.map((m) => m.text)).toEqual([
          `t${i - 1}`,
          `t${i}`,
        ]);
      }
      // The oldest kept message is still found by its clientMsgId; the one just before it is forgotten.
      const oldest = total - OPTS.historyLimit + 1;
      const resent = await repo.appendMessage(room.roomId, draft('a', `t${oldest}`, `c-${oldest}`), OPTS, T0);
      expect(resent).toMatchObject({ duplicate: true, message: { id: oldest, text: `t${oldest}` } });
      const forgotten = await repo.appendMessage(room.roomId, draft('a', 'again', `c-${oldest - 1}`), OPTS, T0);
      expect(forgotten).toMatchObject({ duplicate: false, message: { id: total + 1 } });
    });

    it('refuses a message with an unknown or removed token with TOKEN_INVALID and stores nothing', async () => {
      const room = await newRoom();
      await addMembers(room, 'a');
      await expect(repo.appendMessage(room.roomId, draft('z', 'x'), OPTS, T0)).rejects.toBeInstanceOf(
        TokenInvalidError,
      );
      await repo.removeMember(room.roomId, 'm-a', T0);
      await expect(repo.appendMessage(room.roomId, draft('a', 'x'), OPTS, T0)).rejects.toBeInstanceOf(
        TokenInvalidError,
      );
      expect(await repo.listMessages(room.roomId, 0, T0)).toEqual({
        messages: [],
        truncated: false,
        epoch: expect.any(String),
      });
    });

    it('deletes expired rooms once, with the reason of the deadline that came first', async () => {
      const idle = await newRoom();
      const ttl = { ...roomRecord(), expiresAt: T0 + 1000 };
      await repo.createRoom(ttl, 1000, T0);
      const live = await newRoom();
      await repo.touchRoom(live.roomId, T0 + 2 * IDLE, T0 + 1);
      expect(await repo.takeExpiredRooms(T0 + 999)).toEqual([]);
      expect(await repo.takeExpiredRooms(T0 + 1000)).toEqual([{ roomId: ttl.roomId, reason: 'ttl' }]);
      expect(await repo.takeExpiredRooms(T0 + IDLE)).toEqual([{ roomId: idle.roomId, reason: 'idle' }]);
      expect(await repo.takeExpiredRooms(T0 + IDLE)).toEqual([]);
      expect(await repo.getRoom(idle.roomId, T0)).toBeNull();
      expect(await repo.getRoom(live.roomId, T0 + IDLE)).not.toBeNull();
    });
  });
}
