/** A RoomEvents that records what services published, for unit tests of the services. */
import type { Member, Message, RoomClosedReason } from '@tiny-chat/shared-types';
import { RoomEvents } from '../rooms/room-events';

export type RecordedEvent =
  | { type: 'message'; message: Message }
  | { type: 'presence'; roomId: string; members: Member[] }
  | { type: 'removed'; roomId: string; memberId: string }
  | { type: 'closed'; roomId: string; reason: RoomClosedReason }
  | { type: 'typing'; roomId: string; memberId: string; nick: string };

export class RecordingRoomEvents extends RoomEvents {
  readonly events: RecordedEvent[] = [];
  messageAdded(message: Message): void {
    this.events.push({ type: 'message', message });
  }
  presenceChanged(roomId: string, members: Member[]): void {
    this.events.push({ type: 'presence', roomId, members });
  }
  memberRemoved(roomId: string, memberId: string): void {
    this.events.push({ type: 'removed', roomId, memberId });
  }
  typing(roomId: string, memberId: string, nick: string): void {
    this.events.push({ type: 'typing', roomId, memberId, nick });
  }
  roomClosed(roomId: string, reason: RoomClosedReason): void {
    this.events.push({ type: 'closed', roomId, reason });
  }
  ofType<T extends RecordedEvent['type']>(type: T): Extract<RecordedEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<RecordedEvent, { type: T }> => e.type === type);
  }
}
