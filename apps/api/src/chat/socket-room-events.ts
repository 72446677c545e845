/** RoomEvents over socket.io: one channel per room (its id) and one per member. */
import { Injectable } from '@nestjs/common';
import type {
  ClientToServerEvents,
  Member,
  Message,
  RoomClosedReason,
  ServerToClientEvents,
} from '@tiny-chat/shared-types';
import type { Server, Socket } from 'socket.io';
import { RoomEvents } from '../rooms/room-events';

export interface ChatSocketData {
  /** roomId -> memberId this socket joined as. */
  memberships: Map<string, string>;
}
export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ChatSocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, ChatSocketData>;

export const memberChannel = (memberId: string) => `member:${memberId}`;

@Injectable()
export class SocketRoomEvents extends RoomEvents {
  private server?: ChatServer;

  attach(server: ChatServer): void {
    this.server = server;
  }

  /** Every instance hears every stored message from the store, so it delivers to its own sockets only. */
  messageAdded(message: Message): void {
    this.server?.local.to(message.roomId).emit('message:new', message);
  }

  presenceChanged(roomId: string, members: Member[]): void {
    this.server?.to(roomId).emit('room:presence', { roomId, members });
  }

  memberRemoved(roomId: string, memberId: string): void {
    this.server?.in(memberChannel(memberId)).socketsLeave([roomId, memberChannel(memberId)]);
  }

  roomClosed(roomId: string, reason: RoomClosedReason): void {
    this.server?.to(roomId).emit('room:closed', { roomId, reason });
    this.server?.in(roomId).socketsLeave(roomId);
  }
}
