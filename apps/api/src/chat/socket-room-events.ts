/**
 * RoomEvents over socket.io: one socket.io room per chat room (its id) and one per member; presence throttled per
 * room. Every event goes through the store's per-room channel (RoomRepository.signal / onMessageStored), and each
 * instance delivers to its own sockets only: an instance hears the rooms it has members in, nothing else.
 */
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type {
  ClientToServerEvents,
  Member,
  Message,
  RoomClosedReason,
  ServerToClientEvents,
} from '@tiny-chat/shared-types';
import type { Server, Socket } from 'socket.io';
import { RoomEvents } from '../rooms/room-events';
import { RoomRepository, RoomSignal, STORED_JSON, StoredMessage } from '../rooms/room-repository';
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
  private readonly logger = new Logger(SocketRoomEvents.name);
  private server?: ChatServer;
  /** Set at shutdown, before the store's clients close: from then on nothing is published through them. */
  private closed = false;
  private readonly presence = new KeyedThrottle<Member[]>(PRESENCE_INTERVAL_MS, (roomId, members) =>
    this.publish(roomId, { type: 'presence', members }),
  );

  private readonly frames: SharedFrameBroadcast;
  /** Rooms with local joins under way (listened, socket not in the socket.io room yet), and how many. */
  private readonly joining = new Map<string, number>();

  constructor(
    fastPaths: FastPaths,
    private readonly rooms: RoomRepository,
  ) {
    super();
    this.frames = new SharedFrameBroadcast(fastPaths);
  }

  /**
   * From now on this server's sockets get the rooms' messages and signals. The instance listens to a room while
   * one of its sockets is in it: socket.io's adapter says when the last one left ('delete-room').
   */
  attach(server: ChatServer): void {
    this.server = server;
    this.rooms.onMessageStored((message) => this.messageAdded(message));
    this.rooms.onSignal((roomId, signal) => this.deliver(roomId, signal));
    server.of('/').adapter.on('delete-room', (room: string) => this.rooms.release(room));
  }

  /**
   * Called when a local socket starts joining the room, before anything is stored: resolves once the instance hears
   * the room. Then `joined` (its socket is in the socket.io room) or `unlisten` (the join failed) follows.
   */
  async listen(roomId: string): Promise<void> {
    this.joining.set(roomId, (this.joining.get(roomId) ?? 0) + 1);
    try {
      await this.rooms.listen(roomId);
    } catch (error) {
      this.settle(roomId);
      throw error;
    }
  }

  joined(roomId: string): void {
    this.settle(roomId);
  }

  /** A join that listened failed: stop hearing the room at once unless another local socket is in or joining it. */
  unlisten(roomId: string): void {
    this.settle(roomId);
    if (!this.joining.has(roomId) && !this.server?.of('/').adapter.rooms.has(roomId)) this.rooms.release(roomId, false);
  }

  private settle(roomId: string): void {
    const count = (this.joining.get(roomId) ?? 1) - 1;
    if (count > 0) this.joining.set(roomId, count);
    else this.joining.delete(roomId);
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
    this.publish(roomId, { type: 'member-removed', memberId });
  }

  typing(roomId: string, memberId: string, nick: string): void {
    this.publish(roomId, { type: 'typing', memberId, nick });
  }

  roomClosed(roomId: string, reason: RoomClosedReason): void {
    this.presence.cancel(roomId);
    this.publish(roomId, { type: 'closed', reason });
  }

  /** Delivers the signal to this instance's sockets now and has the store carry it to the other instances. */
  private publish(roomId: string, signal: RoomSignal): void {
    this.deliver(roomId, signal);
    if (this.closed) return;
    this.rooms
      .signal(roomId, signal)
      .catch((error: unknown) => this.logger.warn(`room ${signal.type} not published: ${String(error)}`));
  }

  /** A room's signal, from this instance or another, for this instance's sockets in the room. */
  private deliver(roomId: string, signal: RoomSignal): void {
    const server = this.server;
    if (!server) return;
    switch (signal.type) {
      case 'presence':
        server.local.to(roomId).emit('room:presence', { roomId, members: signal.members });
        break;
      case 'member-removed':
        server.local.in(memberChannel(signal.memberId)).socketsLeave([roomId, memberChannel(signal.memberId)]);
        break;
      case 'typing':
        server.local
          .to(roomId)
          .except(memberChannel(signal.memberId))
          .emit('room:typing', { roomId, nick: signal.nick });
        break;
      case 'closed':
        server.local.to(roomId).emit('room:closed', { roomId, reason: signal.reason });
        server.local.in(roomId).socketsLeave(roomId);
        break;
    }
  }
}
