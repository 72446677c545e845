/** create_room: mints unguessable room ids under the global room cap, and describes a room. */
import { Injectable } from '@nestjs/common';
import type { RoomDetails, RoomSummary } from '@tiny-chat/shared-types';
import { Clock } from '../common/clock';
import { RoomNotFoundError } from '../common/domain-errors';
import { AppConfig } from '../config/app-config';
import { assertRoomId, newRoomId } from '../rooms/room-id';
import { RoomRecord, RoomRepository } from '../rooms/room-repository';

export function toRoomSummary(room: RoomRecord): RoomSummary {
  return {
    roomId: room.roomId,
    createdAt: new Date(room.createdAt).toISOString(),
    expiresAt: new Date(room.expiresAt).toISOString(),
    idleExpiresAt: new Date(room.idleExpiresAt).toISOString(),
  };
}

@Injectable()
export class CreationService {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async createRoom(): Promise<RoomSummary> {
    const now = this.clock.now();
    const room: RoomRecord = {
      roomId: newRoomId(),
      createdAt: now,
      expiresAt: now + this.config.maxTtlMs,
      idleExpiresAt: now + this.config.idleTimeoutMs,
      lastMessageId: 0,
    };
    await this.rooms.createRoom(room, this.config.maxRooms, now);
    return toRoomSummary(room);
  }

  async describeRoom(roomId: string): Promise<RoomDetails> {
    assertRoomId(roomId);
    const now = this.clock.now();
    const room = await this.rooms.getRoom(roomId, now);
    if (!room) throw new RoomNotFoundError();
    const members = await this.rooms.listMembers(roomId, now);
    return { ...toRoomSummary(room), members, lastMessageId: room.lastMessageId };
  }
}
