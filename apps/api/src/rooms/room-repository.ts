/** The storage port: the only API services use to keep rooms, members, connections and messages. */
import type { Member, Message, NewMessageEvent, RoomClosedReason } from '@tiny-chat/shared-types';

/** Times are epoch milliseconds. */
export interface RoomRecord {
  roomId: string;
  createdAt: number;
  /** Hard end of life. */
  expiresAt: number;
  /** Moves forward on every create, join and send. */
  idleExpiresAt: number;
  /** 0 until the first message. */
  lastMessageId: number;
  /** SHA-256 of the owner key (base64url); the key itself is shown once to the creator and never kept. */
  ownerKeyHash?: string;
  /** The signed-in user who created the room (`<issuer>#<sub>`), when sign-in is on. */
  ownerId?: string;
  /** End-to-end encrypted: texts must be envelopes (false when absent). */
  encrypted?: boolean;
  /** The title (an envelope in an encrypted room); null or absent: none. */
  title?: string | null;
}

/**
 * A room event other than a message, for the room's members on every instance: it travels the room's own channel
 * (see RoomRepository.signal), so an instance hears only the rooms it has members in.
 */
export type RoomSignal =
  | { type: 'presence'; members: Member[] }
  | { type: 'member-removed'; memberId: string }
  | { type: 'closed'; reason: RoomClosedReason }
  /** `memberId` (the store's key) is typing as `nick`: its own sockets are left out. */
  | { type: 'typing'; memberId: string; nick: string };

/** Who asks to close a room: the owner key's hash (bearer), and/or the signed-in user. */
export interface Closer {
  ownerKeyHash?: string;
  userId?: string;
}

/** One of a user's live rooms, as GET /api/me/rooms lists it. */
export interface OwnedRoomRecord extends RoomRecord {
  memberCount: number;
}

export interface NewMember {
  /** The store's own key of the member: never sent to clients. */
  memberId: string;
  /** The member's id on the wire (Member.memberId, Message.memberId): random, unrelated to memberId and token. */
  publicId: string;
  /** Display form (NFKC, trimmed). */
  nick: string;
  /** Uniqueness key (NFKC + case fold). */
  nickKey: string;
  tokenHash: string;
}

export interface MemberRecord {
  memberId: string;
  publicId: string;
  nick: string;
}

export interface MessageDraft {
  /** The sender is whoever holds this token in the room (TokenInvalidError otherwise): one step, no separate lookup. */
  tokenHash: string;
  text: string;
  clientMsgId?: string;
  sentAt: number;
  /**
   * Which kinds of room accept this text: a plain room needs `plain` (default true), an encrypted one `envelope`
   * (default false); the other kind answers TextKindError.
   */
  plain?: boolean;
  envelope?: boolean;
}

export interface AppendResult {
  message: Message;
  /** The room's epoch after this append (see Message in shared-types). */
  epoch: string;
  /** True when the member already sent this clientMsgId: `message` is the original, nothing was stored. */
  duplicate: boolean;
}

export interface AddMemberOptions {
  idleExpiresAt: number;
  maxMembers: number;
  /** A full room may retire a member offline at least this long (see addMember); 0 or absent: never. */
  reclaimAfterMs?: number;
}

/** room:touch: the new idle deadline, and how long a member waits between two accepted touches. */
export interface TouchOptions {
  idleExpiresAt: number;
  minIntervalMs: number;
}

export interface MessagePage {
  messages: Message[];
  truncated: boolean;
  /** The room's epoch (see Message in shared-types). */
  epoch: string;
}

export interface ClosedRoom {
  roomId: string;
  reason: RoomClosedReason;
}

/** What the metrics read at scrape time. */
export interface LiveCounts {
  rooms: number;
  /** Members of live rooms, online or not. */
  members: number;
}

/** A room is live until the first of its two deadlines. */
/**
 * Where a store hands listeners a message together with the JSON it already has of it (Redis publishes that JSON), the
 * JSON sits under this key: a relay can frame it as is instead of serializing the message again. Same fields and
 * values as the message; key order and escaping may differ (Redis's cjson writes `/` as `\/`).
 */
export const STORED_JSON = Symbol('storedJson');

/** A message as a store's listeners get it: maybe with its JSON (see STORED_JSON). */
export type StoredMessage = NewMessageEvent & { [STORED_JSON]?: string };

export function isExpired(room: RoomRecord, now: number): boolean {
  return now >= room.expiresAt || now >= room.idleExpiresAt;
}

export function closeReason(room: RoomRecord): RoomClosedReason {
  return room.expiresAt <= room.idleExpiresAt ? 'ttl' : 'idle';
}

/**
 * Every method taking a roomId treats a missing and an expired room alike: it throws
 * RoomNotFoundError (getRoom answers null), even before cleanup has deleted it.
 * Implementations keep each method atomic, so services need no locks.
 */
export abstract class RoomRepository {
  /**
   * Inserts the room unless `maxRooms` live rooms exist, or, for a room with an `ownerId`, unless that user already
   * owns `maxRoomsPerOwner` live rooms (RoomLimitReachedError with a retry hint: when a slot frees at the earliest).
   * Both counts are exact under concurrent creation: the check and the insert are one atomic step.
   */
  abstract createRoom(room: RoomRecord, maxRooms: number, now: number, maxRoomsPerOwner?: number): Promise<void>;

  /**
   * Deletes a live room at once if `closer` holds its owner key or is the user who created it (NotRoomOwnerError
   * otherwise; RoomNotFoundError for a missing or expired room). Its slot (global and per owner) frees at once.
   */
  abstract closeRoom(roomId: string, closer: Closer, now: number): Promise<void>;

  /** The live rooms `userId` created, oldest first. */
  abstract listRoomsOf(userId: string, now: number): Promise<OwnedRoomRecord[]>;

  abstract getRoom(roomId: string, now: number): Promise<RoomRecord | null>;

  /**
   * Adds a member and moves the idle deadline; NickTakenError when nickKey is in use. A room that already has
   * `maxMembers` retires the member offline the longest when it has been offline at least `reclaimAfterMs` (its
   * token stops working and its nick is free; its messages stay), so members who joined and left cannot keep a
   * room full for its whole life; RoomFullError when no member is reclaimable (`reclaimAfterMs` 0 or absent: never).
   * A member counts as offline from its join until its first connection, and from its last connection's end.
   */
  abstract addMember(roomId: string, member: NewMember, options: AddMemberOptions, now: number): Promise<RoomRecord>;

  /** The member holding this token in this room; TokenInvalidError otherwise. */
  abstract authenticate(roomId: string, tokenHash: string, now: number): Promise<MemberRecord>;

  /** Moves the idle deadline (a join with a token counts as activity). */
  abstract touchRoom(roomId: string, idleExpiresAt: number, now: number): Promise<RoomRecord>;

  /**
   * room:touch: the member holding this token keeps the room open (moves the idle deadline like a send), at most once
   * per `minIntervalMs` per member (RateLimitedError with the wait otherwise, nothing moved); TokenInvalidError for an
   * unknown token.
   */
  abstract touchByMember(roomId: string, tokenHash: string, options: TouchOptions, now: number): Promise<RoomRecord>;

  /** Removes the member, its connections and frees its nick. */
  abstract removeMember(roomId: string, memberId: string, now: number): Promise<void>;

  /** Members in join order with their online state. */
  abstract listMembers(roomId: string, now: number): Promise<Member[]>;

  /** Records a live connection; true when the member was offline before. */
  abstract addConnection(roomId: string, memberId: string, connectionId: string, now: number): Promise<boolean>;

  /** Forgets a connection (never throws for a gone room); true when the member went offline (at `now`). */
  abstract removeConnection(roomId: string, memberId: string, connectionId: string, now: number): Promise<boolean>;

  /**
   * Authenticates the sender by token, assigns the next id in the room's single sequence, stores, trims
   * history to `historyLimit`, moves the idle deadline, and de-duplicates by (member, clientMsgId).
   */
  abstract appendMessage(
    roomId: string,
    draft: MessageDraft,
    options: { historyLimit: number; idleExpiresAt: number },
    now: number,
  ): Promise<AppendResult>;

  /** Retained messages with id > afterId, oldest first. */
  abstract listMessages(roomId: string, afterId: number, now: number): Promise<MessagePage>;

  /** Deletes every expired room and says why each closed. */
  abstract takeExpiredRooms(now: number): Promise<ClosedRoom[]>;

  /**
   * Calls the listener with every newly stored message of every room this instance listens to (see `listen`), in
   * each room's id order. This is the only delivery path, so the order members see is the order the store assigned.
   */
  abstract onMessageStored(listener: (message: StoredMessage) => void): void;

  /**
   * From when this resolves on, this instance hears the room's messages and signals. Called for every local socket
   * that joins the room; idempotent, and it cancels a pending `release`.
   */
  abstract listen(roomId: string): Promise<void>;

  /**
   * The instance's last local socket left the room: it stops hearing the room after a linger (ROOM_LINGER_MS), or at
   * once when `linger` is false (a join that failed).
   */
  abstract release(roomId: string, linger?: boolean): void;

  /**
   * Sends a signal to the room's listeners on the other instances (the caller delivers it to its own sockets at once,
   * as before any message it may overtake).
   */
  abstract signal(roomId: string, signal: RoomSignal): Promise<void>;

  /** Calls the listener with every signal other instances send about the rooms this instance listens to. */
  abstract onSignal(listener: (roomId: string, signal: RoomSignal) => void): void;

  /**
   * Rooms this instance listens to now, lingering ones included (tinychat_redis_subscribed_rooms), and how many
   * messages and signals it has received from the store's room channels since it started.
   */
  abstract listening(): { rooms: number; received: number };

  /**
   * Drops connections held by instances that stopped heartbeating (wall-clock time, like the heartbeat);
   * returns the rooms whose presence changed.
   */
  abstract reapOrphanedConnections(): Promise<string[]>;

  /** Whether the store answers now. */
  abstract isAvailable(): Promise<boolean>;

  /** Live rooms and their members, for metrics: a few cheap reads per scrape, never on a message path. */
  abstract countLive(now: number): Promise<LiveCounts>;
}
