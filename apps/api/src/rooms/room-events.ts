/** The outbound port: how services tell connected clients what happened. The chat gateway implements it. */
import type { Member, Message, RoomClosedReason } from '@tiny-chat/shared-types';

export abstract class RoomEvents {
  abstract messageAdded(message: Message): void;
  abstract presenceChanged(roomId: string, members: Member[]): void;
  /** The member's sockets stop receiving the room's events. */
  abstract memberRemoved(roomId: string, memberId: string): void;
  /** Tells the room's other members that this member is typing (never stored). */
  abstract typing(roomId: string, memberId: string, nick: string): void;
  /** Tells members why the room closed and detaches their sockets. */
  abstract roomClosed(roomId: string, reason: RoomClosedReason): void;
}
