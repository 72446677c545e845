/** join_room and membership: nick rules, user tokens, presence (online while any connection is live). */
import { Injectable } from '@nestjs/common';
import {
  ROOM_TOUCH_INTERVAL_SEC,
  type JoinRequest,
  type JoinResult,
  type LeaveRequest,
  type TouchRequest,
  type TouchResult,
  type TypingRequest,
  type TypingResult,
} from '@tiny-chat/shared-types';
import { Clock } from '../common/clock';
import { RoomNotFoundError } from '../common/domain-errors';
import { normalizeNick } from '../common/text-rules';
import { AppConfig } from '../config/app-config';
import { assertRoomId, hashToken, newMemberId, newPublicMemberId, newUserToken } from '../rooms/room-id';
import { boundedPage } from '../message/message-pages';
import { RoomEvents } from '../rooms/room-events';
import { MemberRecord, RoomRecord, RoomRepository } from '../rooms/room-repository';

/** One client connection (a socket) as the join service sees it. */
export interface RoomConnection {
  readonly id: string;
  /** Starts delivering the room's events to this connection. */
  subscribe(roomId: string, memberId: string): Promise<void> | void;
  /**
   * Before anything is stored: makes sure this instance hears the room (its shard channel), so a store that cannot
   * be reached fails the join before it leaves a member behind; `unhear` undoes it when the join fails later.
   */
  hear?(roomId: string): Promise<void>;
  unhear?(roomId: string): void;
}

/** room:typing is relayed at most once per this interval per member (extra ones are acknowledged and dropped). */
export const TYPING_INTERVAL_MS = 1000;

export interface Joined {
  memberId: string;
  result: JoinResult;
}

@Injectable()
export class JoinService {
  /** `roomId|tokenHash` -> when its last room:typing was relayed (entries older than the interval are pruned). */
  private readonly lastTyping = new Map<string, number>();

  constructor(
    private readonly rooms: RoomRepository,
    private readonly events: RoomEvents,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async join(request: JoinRequest, connection: RoomConnection): Promise<Joined> {
    assertRoomId(request.roomId);
    await connection.hear?.(request.roomId);
    try {
      return await this.joinHeard(request, connection);
    } catch (error) {
      connection.unhear?.(request.roomId);
      throw error;
    }
  }

  private async joinHeard(request: JoinRequest, connection: RoomConnection): Promise<Joined> {
    const { roomId } = request;
    const now = this.clock.now();
    const idleExpiresAt = now + this.config.idleTimeoutMs;
    let member: MemberRecord;
    let userToken: string;
    let room: RoomRecord;
    let isNewMember = false;
    if ('nick' in request) {
      const { nick, nickKey } = normalizeNick(request.nick);
      userToken = newUserToken();
      member = { memberId: newMemberId(), publicId: newPublicMemberId(), nick };
      room = await this.rooms.addMember(
        roomId,
        { ...member, nickKey, tokenHash: hashToken(userToken) },
        {
          idleExpiresAt,
          maxMembers: this.config.maxMembersPerRoom,
          reclaimAfterMs: this.config.memberReclaimSec * 1000,
        },
        now,
      );
      isNewMember = true;
    } else {
      userToken = request.userToken;
      member = await this.rooms.authenticate(roomId, hashToken(userToken), now);
      room = await this.rooms.touchRoom(roomId, idleExpiresAt, now);
    }
    const wentOnline = await this.rooms.addConnection(roomId, member.memberId, connection.id, now);
    // Subscribe before reading history: a message sent meanwhile arrives as an event
    // (clients merge by id) instead of falling between the snapshot and the subscription.
    await connection.subscribe(roomId, member.memberId);
    const [members, page] = await Promise.all([
      this.rooms.listMembers(roomId, now),
      this.rooms.listMessages(roomId, 0, now),
    ]);
    if (isNewMember || wentOnline) this.events.presenceChanged(roomId, members);
    const history = boundedPage(page.messages, this.config.listMaxBytes);
    return {
      memberId: member.memberId,
      result: {
        userToken,
        nick: member.nick,
        memberId: member.publicId,
        members,
        messages: history.messages,
        hasMore: history.hasMore,
        expiresAt: new Date(room.expiresAt).toISOString(),
        idleExpiresAt: new Date(room.idleExpiresAt).toISOString(),
        limits: {
          maxMessageLength: this.config.maxMessageLength,
          historyLimit: this.config.historyLimit,
          idleTimeoutSec: this.config.roomIdleTimeoutSec,
        },
        epoch: page.epoch,
        encrypted: room.encrypted ?? false,
        title: room.title ?? null,
      },
    };
  }

  /** room:touch: a member keeps the room open (activity like a send), once per ROOM_TOUCH_INTERVAL_SEC. */
  async touch(request: TouchRequest): Promise<TouchResult> {
    assertRoomId(request.roomId);
    const now = this.clock.now();
    const room = await this.rooms.touchByMember(
      request.roomId,
      hashToken(request.userToken),
      { idleExpiresAt: now + this.config.idleTimeoutMs, minIntervalMs: ROOM_TOUCH_INTERVAL_SEC * 1000 },
      now,
    );
    return { idleExpiresAt: new Date(room.idleExpiresAt).toISOString() };
  }

  /**
   * room:typing: tells the room's other members, on every instance, that this member is typing. Nothing is stored: the
   * once-a-second bound is kept by this instance (a member's tabs on two instances may each relay once a second).
   */
  async typing(request: TypingRequest): Promise<TypingResult> {
    assertRoomId(request.roomId);
    const now = this.clock.now();
    const tokenHash = hashToken(request.userToken);
    // Keyed by the token's hash: one token is one member, and a dropped repeat costs no store read.
    const key = `${request.roomId}|${tokenHash}`;
    const last = this.lastTyping.get(key);
    if (last !== undefined && now - last < TYPING_INTERVAL_MS) return {};
    const member = await this.rooms.authenticate(request.roomId, tokenHash, now);
    if (this.lastTyping.size >= 10_000) {
      for (const [k, at] of this.lastTyping) if (now - at >= TYPING_INTERVAL_MS) this.lastTyping.delete(k);
    }
    this.lastTyping.set(key, now);
    this.events.typing(request.roomId, member.memberId, member.nick);
    return {};
  }

  /** Removes the member for good: its nick is free again and its token stops working. */
  async leave(request: LeaveRequest): Promise<string> {
    assertRoomId(request.roomId);
    const now = this.clock.now();
    const member = await this.rooms.authenticate(request.roomId, hashToken(request.userToken), now);
    await this.rooms.removeMember(request.roomId, member.memberId, now);
    this.events.memberRemoved(request.roomId, member.memberId);
    this.events.presenceChanged(request.roomId, await this.rooms.listMembers(request.roomId, now));
    return member.memberId;
  }

  /** A connection went away; the member goes offline when it was its last one. */
  async disconnect(roomId: string, memberId: string, connectionId: string): Promise<void> {
    const wentOffline = await this.rooms.removeConnection(roomId, memberId, connectionId, this.clock.now());
    if (!wentOffline) return;
    try {
      this.events.presenceChanged(roomId, await this.rooms.listMembers(roomId, this.clock.now()));
    } catch (error) {
      if (!(error instanceof RoomNotFoundError)) throw error;
    }
  }
}
