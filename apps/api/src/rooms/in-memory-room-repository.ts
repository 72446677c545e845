/** RoomRepository in process memory: the single-instance MVP store. */
import type { Member, Message } from '@tiny-chat/shared-types';
import {
  NickTakenError,
  NotRoomOwnerError,
  RateLimitedError,
  RoomFullError,
  RoomLimitReachedError,
  RoomNotFoundError,
  TextKindError,
  TokenInvalidError,
} from '../common/domain-errors';
import {
  AddMemberOptions,
  AppendResult,
  ClosedRoom,
  closeReason,
  Closer,
  isExpired,
  LiveCounts,
  MemberRecord,
  MessageDraft,
  MessagePage,
  NewMember,
  OwnedRoomRecord,
  RoomRecord,
  RoomRepository,
  StoredMessage,
  TouchOptions,
} from './room-repository';
import { newEpoch } from './room-id';

interface HistoryEntry {
  message: Message;
  dedupeKey?: string;
}

interface RoomState {
  record: RoomRecord;
  members: Map<string, NewMember>;
  memberByNickKey: Map<string, string>;
  memberByTokenHash: Map<string, string>;
  /** memberId -> its connection ids: an exact-size array, replaced on change (one socket: 56 bytes, a Set 184). */
  connections: Map<string, readonly string[]>;
  /** Oldest first; at most historyLimit entries. */
  history: HistoryEntry[];
  byDedupeKey: Map<string, Message>;
  /** memberId -> when its last accepted room:touch came. */
  lastTouchAt: Map<string, number>;
  /** memberId -> since when it has had no connection (its join until its first one); online members are absent. */
  offlineSince: Map<string, number>;
}

const NO_CONNECTIONS: readonly string[] = Object.freeze([]);

const dedupeKeyOf = (memberId: string, clientMsgId: string) => `${memberId}\u0000${clientMsgId}`;

export class InMemoryRoomRepository extends RoomRepository {
  private readonly rooms = new Map<string, RoomState>();
  private readonly listeners: Array<(message: StoredMessage) => void> = [];
  /** One process holds the rooms and never loses part of them: one epoch for all, for the process's life. */
  private readonly epoch = newEpoch();

  async createRoom(room: RoomRecord, maxRooms: number, now: number, maxRoomsPerOwner?: number): Promise<void> {
    let live = 0;
    let nextFreeAt = Number.POSITIVE_INFINITY;
    let owned = 0;
    let nextOwnedFreeAt = Number.POSITIVE_INFINITY;
    for (const state of this.rooms.values()) {
      if (isExpired(state.record, now)) continue;
      const deadline = Math.min(state.record.expiresAt, state.record.idleExpiresAt);
      live++;
      nextFreeAt = Math.min(nextFreeAt, deadline);
      if (room.ownerId !== undefined && state.record.ownerId === room.ownerId) {
        owned++;
        nextOwnedFreeAt = Math.min(nextOwnedFreeAt, deadline);
      }
    }
    if (maxRoomsPerOwner !== undefined && room.ownerId !== undefined && owned >= maxRoomsPerOwner)
      throw new RoomLimitReachedError(Math.max(1, nextOwnedFreeAt - now));
    if (live >= maxRooms) throw new RoomLimitReachedError(Math.max(1, nextFreeAt - now));
    this.rooms.set(room.roomId, {
      record: { ...room },
      members: new Map(),
      memberByNickKey: new Map(),
      memberByTokenHash: new Map(),
      connections: new Map(),
      history: [],
      byDedupeKey: new Map(),
      lastTouchAt: new Map(),
      offlineSince: new Map(),
    });
  }

  async closeRoom(roomId: string, closer: Closer, now: number): Promise<void> {
    const { record } = this.live(roomId, now);
    const byKey = closer.ownerKeyHash !== undefined && closer.ownerKeyHash === record.ownerKeyHash;
    const byUser = closer.userId !== undefined && closer.userId === record.ownerId;
    if (!byKey && !byUser) throw new NotRoomOwnerError();
    this.rooms.delete(roomId);
  }

  async listRoomsOf(userId: string, now: number): Promise<OwnedRoomRecord[]> {
    const owned: OwnedRoomRecord[] = [];
    for (const state of this.rooms.values()) {
      if (state.record.ownerId !== userId || isExpired(state.record, now)) continue;
      owned.push({ ...state.record, memberCount: state.members.size });
    }
    return owned.sort((a, b) => a.createdAt - b.createdAt);
  }

  async getRoom(roomId: string, now: number): Promise<RoomRecord | null> {
    const state = this.rooms.get(roomId);
    return state && !isExpired(state.record, now) ? { ...state.record } : null;
  }

  async addMember(
    roomId: string,
    member: NewMember,
    { idleExpiresAt, maxMembers, reclaimAfterMs = 0 }: AddMemberOptions,
    now: number,
  ): Promise<RoomRecord> {
    const state = this.live(roomId, now);
    if (state.memberByNickKey.has(member.nickKey)) throw new NickTakenError();
    if (state.members.size >= maxMembers) {
      const retired = reclaimAfterMs > 0 ? this.longestOffline(state, now - reclaimAfterMs) : undefined;
      if (retired === undefined) throw new RoomFullError();
      this.forget(state, retired);
    }
    state.members.set(member.memberId, { ...member });
    state.offlineSince.set(member.memberId, now);
    state.memberByNickKey.set(member.nickKey, member.memberId);
    state.memberByTokenHash.set(member.tokenHash, member.memberId);
    state.record.idleExpiresAt = Math.max(state.record.idleExpiresAt, idleExpiresAt);
    return { ...state.record };
  }

  async authenticate(roomId: string, tokenHash: string, now: number): Promise<MemberRecord> {
    const state = this.live(roomId, now);
    const memberId = state.memberByTokenHash.get(tokenHash);
    const member = memberId === undefined ? undefined : state.members.get(memberId);
    if (!member) throw new TokenInvalidError();
    return { memberId: member.memberId, publicId: member.publicId, nick: member.nick };
  }

  async touchRoom(roomId: string, idleExpiresAt: number, now: number): Promise<RoomRecord> {
    const state = this.live(roomId, now);
    state.record.idleExpiresAt = Math.max(state.record.idleExpiresAt, idleExpiresAt);
    return { ...state.record };
  }

  async touchByMember(
    roomId: string,
    tokenHash: string,
    { idleExpiresAt, minIntervalMs }: TouchOptions,
    now: number,
  ): Promise<RoomRecord> {
    const state = this.live(roomId, now);
    const memberId = state.memberByTokenHash.get(tokenHash);
    if (memberId === undefined) throw new TokenInvalidError();
    const last = state.lastTouchAt.get(memberId);
    if (last !== undefined && now - last < minIntervalMs) throw new RateLimitedError(last + minIntervalMs - now);
    state.lastTouchAt.set(memberId, now);
    state.record.idleExpiresAt = Math.max(state.record.idleExpiresAt, idleExpiresAt);
    return { ...state.record };
  }

  async removeMember(roomId: string, memberId: string, now: number): Promise<void> {
    this.forget(this.live(roomId, now), memberId);
  }

  async listMembers(roomId: string, now: number): Promise<Member[]> {
    const state = this.live(roomId, now);
    return [...state.members.values()].map((m) => ({
      nick: m.nick,
      online: state.connections.has(m.memberId),
      memberId: m.publicId,
    }));
  }

  async addConnection(roomId: string, memberId: string, connectionId: string, now: number): Promise<boolean> {
    const state = this.live(roomId, now);
    if (!state.members.has(memberId)) throw new TokenInvalidError();
    const sockets = state.connections.get(memberId) ?? NO_CONNECTIONS;
    if (!sockets.includes(connectionId)) state.connections.set(memberId, sockets.concat(connectionId));
    state.offlineSince.delete(memberId);
    return sockets.length === 0;
  }

  async removeConnection(roomId: string, memberId: string, connectionId: string, now: number): Promise<boolean> {
    const state = this.rooms.get(roomId);
    const sockets = state?.connections.get(memberId);
    if (!state || !sockets?.includes(connectionId)) return false;
    const rest = sockets.filter((id) => id !== connectionId);
    if (rest.length > 0) {
      state.connections.set(memberId, rest);
      return false;
    }
    state.connections.delete(memberId);
    state.offlineSince.set(memberId, now);
    return true;
  }

  async appendMessage(
    roomId: string,
    draft: MessageDraft,
    options: { historyLimit: number; idleExpiresAt: number },
    now: number,
  ): Promise<AppendResult> {
    const state = this.live(roomId, now);
    const memberId = state.memberByTokenHash.get(draft.tokenHash);
    const sender = memberId === undefined ? undefined : state.members.get(memberId);
    if (!sender) throw new TokenInvalidError();
    if (state.record.encrypted ? draft.envelope !== true : draft.plain === false)
      throw new TextKindError(state.record.encrypted === true);
    const dedupeKey = draft.clientMsgId === undefined ? undefined : dedupeKeyOf(sender.memberId, draft.clientMsgId);
    if (dedupeKey !== undefined) {
      const original = state.byDedupeKey.get(dedupeKey);
      if (original) return { message: original, duplicate: true, epoch: this.epoch };
    }
    const message: Message = {
      id: state.record.lastMessageId + 1,
      roomId,
      nick: sender.nick,
      memberId: sender.publicId,
      text: draft.text,
      sentAt: new Date(draft.sentAt).toISOString(),
    };
    if (draft.clientMsgId !== undefined) message.clientMsgId = draft.clientMsgId;
    state.record.lastMessageId = message.id;
    state.record.idleExpiresAt = Math.max(state.record.idleExpiresAt, options.idleExpiresAt);
    state.history.push({ message, dedupeKey });
    if (dedupeKey !== undefined) state.byDedupeKey.set(dedupeKey, message);
    while (state.history.length > options.historyLimit) {
      const dropped = state.history.shift();
      if (dropped?.dedupeKey !== undefined) state.byDedupeKey.delete(dropped.dedupeKey);
    }
    if (this.listeners.length > 0) {
      const event = { ...message, epoch: this.epoch };
      for (const listener of this.listeners) listener(event);
    }
    return { message, duplicate: false, epoch: this.epoch };
  }

  async listMessages(roomId: string, afterId: number, now: number): Promise<MessagePage> {
    const state = this.live(roomId, now);
    const oldestId = state.history[0]?.message.id ?? state.record.lastMessageId + 1;
    const messages: Message[] = [];
    for (const stored of state.history) if (stored.message.id > afterId) messages.push(stored.message);
    // Something after afterId is gone when the oldest retained id does not follow afterId directly.
    const truncated = afterId + 1 < oldestId && afterId < state.record.lastMessageId;
    return { messages, truncated, epoch: this.epoch };
  }

  async takeExpiredRooms(now: number): Promise<ClosedRoom[]> {
    const closed: ClosedRoom[] = [];
    for (const [roomId, state] of this.rooms) {
      if (!isExpired(state.record, now)) continue;
      this.rooms.delete(roomId);
      closed.push({ roomId, reason: closeReason(state.record) });
    }
    return closed;
  }

  onMessageStored(listener: (message: StoredMessage) => void): void {
    this.listeners.push(listener);
  }

  /** One process: every signal and message reaches every listener already. */
  async listen(): Promise<void> {
    // Every message already reaches every listener.
  }

  release(): void {
    // Nothing was subscribed.
  }

  /** One process: there is no other instance to tell. */
  async signal(): Promise<void> {
    // No other instance.
  }

  onSignal(): void {
    // No other instance sends any.
  }

  listening(): { rooms: number; received: number } {
    return { rooms: 0, received: 0 };
  }

  /** One process holds every connection: none can be orphaned. */
  async reapOrphanedConnections(): Promise<string[]> {
    return [];
  }

  async isAvailable(): Promise<boolean> {
    return true;
  }

  async countLive(now: number): Promise<LiveCounts> {
    const counts: LiveCounts = { rooms: 0, members: 0 };
    for (const state of this.rooms.values()) {
      if (isExpired(state.record, now)) continue;
      counts.rooms++;
      counts.members += state.members.size;
    }
    return counts;
  }

  /** The member offline the longest, if it went offline at `offlineBy` or earlier. */
  private longestOffline(state: RoomState, offlineBy: number): string | undefined {
    let found: string | undefined;
    let since = offlineBy;
    for (const [memberId, at] of state.offlineSince) {
      if (at <= offlineBy && (found === undefined || at < since) && !state.connections.has(memberId)) {
        found = memberId;
        since = at;
      }
    }
    return found;
  }

  /** Removes a member, its connections and its nick and token; its messages stay. */
  private forget(state: RoomState, memberId: string): void {
    const member = state.members.get(memberId);
    if (!member) return;
    state.members.delete(memberId);
    state.memberByNickKey.delete(member.nickKey);
    state.memberByTokenHash.delete(member.tokenHash);
    state.connections.delete(memberId);
    state.lastTouchAt.delete(memberId);
    state.offlineSince.delete(memberId);
  }

  private live(roomId: string, now: number): RoomState {
    const state = this.rooms.get(roomId);
    if (!state || isExpired(state.record, now)) throw new RoomNotFoundError();
    return state;
  }
}
