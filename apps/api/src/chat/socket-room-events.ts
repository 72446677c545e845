/** RoomEvents over socket.io: one channel per room (its id) and one per member; presence throttled per room. */
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type {
  ClientToServerEvents,
  Member,
  Message,
  RoomClosedReason,
  ServerToClientEvents,
} from '@tiny-chat/shared-types';
import type { Server, Socket } from 'socket.io';
import { RoomEvents } from '../rooms/room-events';
import { STORED_JSON, StoredMessage } from '../rooms/room-repository';
import { FastPaths } from '../transport/fast-paths/fast-paths';
import { SharedFrameBroadcast } from '../transport/fast-paths/shared-frame';
import { KeyedThrottle } from './keyed-throttle';
import type { Memberships } from './memberships';

export interface ChatSocketData {
  /** The rooms this socket joined and as which member (see memberships.ts). */
  memberships: Memberships;
  /** The client address (X-Forwarded-For by TRUST_PROXY), read from the handshake before it is let go. */
  clientIp?: string;
  /**
   * With ROOMS_REQUIRE_LOGIN: the session id from the handshake's verified `tc_session` cookie, read before the
   * handshake request is let go (see transport/fast-paths/connection-memory.ts); its session is looked up per join.
   */
  sessionId?: string;
}
export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ChatSocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ChatSocketData>;

export const memberChannel = (memberId: string) => `member:${memberId}`;

/** room:presence goes out at most once per room per this interval, with the latest list (the first at once). */
export const PRESENCE_INTERVAL_MS = 100;

@Injectable()
export class SocketRoomEvents extends RoomEvents implements OnModuleDestroy {
  private server?: ChatServer;
  /** Set at shutdown, before the adapter's Redis clients close: from then on nothing is published through them. */
  private closed = false;
  private readonly presence = new KeyedThrottle<Member[]>(PRESENCE_INTERVAL_MS, (roomId, members) =>
    this.server?.to(roomId).emit('room:presence', { roomId, members }),
  );

  private readonly frames: SharedFrameBroadcast;

  constructor(fastPaths: FastPaths) {
    super();
    this.frames = new SharedFrameBroadcast(fastPaths);
  }

  attach(server: ChatServer): void {
    this.server = server;
  }

  onModuleDestroy(): void {
    this.closed = true;
    this.presence.close();
  }

  /** Every instance hears every stored message from the store, so it delivers to its own sockets only. */
  messageAdded(message: Message): void {
    const json = (message as StoredMessage)[STORED_JSON];
    if (this.server) this.frames.broadcastLocally(this.server, message.roomId, 'message:new', message, json);
  }

  presenceChanged(roomId: string, members: Member[]): void {
    this.presence.push(roomId, members);
  }

  memberRemoved(roomId: string, memberId: string): void {
    if (this.closed) return;
    this.server?.in(memberChannel(memberId)).socketsLeave([roomId, memberChannel(memberId)]);
  }

  roomClosed(roomId: string, reason: RoomClosedReason): void {
    this.presence.cancel(roomId);
    if (this.closed) return;
    this.server?.to(roomId).emit('room:closed', { roomId, reason });
    this.server?.in(roomId).socketsLeave(roomId);
  }
}
