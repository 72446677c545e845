/** create_room: mints unguessable room ids and owner keys under the room caps; describes and closes rooms. */
import { Injectable, Optional } from '@nestjs/common';
import type { CreateRoomResponse, RoomDetails, RoomSummary } from '@tiny-chat/shared-types';
import { Clock } from '../common/clock';
import { RoomNotFoundError } from '../common/domain-errors';
import { AppConfig } from '../config/app-config';
import { OpsMetrics } from '../observability/ops-metrics';
import { RoomEvents } from '../rooms/room-events';
import { assertRoomId, newRoomId } from '../rooms/room-id';
import { Closer, RoomRecord, RoomRepository } from '../rooms/room-repository';
import { newOwnerKey, ownerKeyHash } from './owner-key';

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
    private readonly events: RoomEvents,
    @Optional() private readonly metrics?: OpsMetrics,
  ) {}

  /**
   * A new room and its owner key (returned once, stored as a hash). With `ownerId` (a signed-in user) the room also
   * counts against that user's MAX_ROOMS_PER_USER.
   */
  async createRoom(ownerId?: string): Promise<CreateRoomResponse> {
    const now = this.clock.now();
    const ownerKey = newOwnerKey();
    const room: RoomRecord = {
      roomId: newRoomId(),
      createdAt: now,
      expiresAt: now + this.config.maxTtlMs,
      idleExpiresAt: now + this.config.idleTimeoutMs,
      lastMessageId: 0,
      ownerKeyHash: ownerKeyHash(ownerKey),
      ...(ownerId !== undefined && { ownerId }),
    };
    const auth = this.config.auth;
    const perOwner = ownerId !== undefined && auth.mode === 'oidc' ? auth.maxRoomsPerUser : undefined;
    await this.rooms.createRoom(room, this.config.maxRooms, now, perOwner);
    return { ...toRoomSummary(room), ownerKey };
  }

  /**
   * Closes a live room for its owner (the owner key, or the signed-in user who created it): the room is gone at
   * once and every member, on every instance, hears `room:closed` with reason `closed`.
   */
  async closeRoom(roomId: string, closer: { ownerKey?: string; userId?: string }): Promise<void> {
    assertRoomId(roomId);
    const by: Closer = {
      ...(closer.ownerKey !== undefined && { ownerKeyHash: ownerKeyHash(closer.ownerKey) }),
      ...(closer.userId !== undefined && { userId: closer.userId }),
    };
    await this.rooms.closeRoom(roomId, by, this.clock.now());
    this.events.roomClosed(roomId, 'closed');
    this.metrics?.roomsClosed([{ reason: 'closed' }]);
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
