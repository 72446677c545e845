/** create_room: mints unguessable room ids and owner keys under the room caps; describes and closes rooms. */
import { Injectable, Optional } from '@nestjs/common';
import type { CreateRoomRequest, CreateRoomResponse, RoomDetails, RoomSummary } from '@tiny-chat/shared-types';
import { z } from 'zod';
import { parsePayload } from '../common/parse-payload';
import { assertTitleEnvelope, normalizeTitle } from '../common/text-rules';
import { Clock } from '../common/clock';
import { RoomLimitReachedError, RoomNotFoundError } from '../common/domain-errors';
import { AppConfig } from '../config/app-config';
import { OpsMetrics } from '../observability/ops-metrics';
import { RoomEvents } from '../rooms/room-events';
import { assertRoomId, newRoomId } from '../rooms/room-id';
import { Closer, RoomRecord, RoomRepository } from '../rooms/room-repository';
import { newOwnerKey, ownerKeyHash } from './owner-key';

export function toRoomSummary(room: RoomRecord): RoomSummary {
  return {
    roomId: room.roomId,
    encrypted: room.encrypted ?? false,
    title: room.title ?? null,
    createdAt: new Date(room.createdAt).toISOString(),
    expiresAt: new Date(room.expiresAt).toISOString(),
    idleExpiresAt: new Date(room.idleExpiresAt).toISOString(),
  };
}

/** The optional body of POST /api/rooms: strict, so an unknown field or a wrong type is VALIDATION_ERROR. */
const createRoomRequestSchema: z.ZodType<CreateRoomRequest> = z.strictObject({
  encrypted: z.boolean().optional(),
  title: z.string().max(4096).optional(),
});

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
  /** `options`: the POST body as received (no body: `{}`); checked here. */
  async createRoom(ownerId?: string, options: unknown = {}): Promise<CreateRoomResponse> {
    const { encrypted, title } = parsePayload(createRoomRequestSchema, options);
    if (title !== undefined && encrypted) assertTitleEnvelope(title);
    const checkedTitle = title === undefined || encrypted ? title : normalizeTitle(title);
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
      ...(encrypted === true && { encrypted }),
      ...(checkedTitle !== undefined && { title: checkedTitle }),
    };
    const auth = this.config.auth;
    const perOwner = ownerId !== undefined && auth.mode === 'oidc' ? auth.maxRoomsPerUser : undefined;
    try {
      await this.rooms.createRoom(room, this.config.maxRooms, now, perOwner);
    } catch (error) {
      // No room outlives the idle timeout from now without new activity. A concurrent creation whose clock read came
      // after ours can make the store's hint that much longer: the hint never says more than the idle timeout.
      if (error instanceof RoomLimitReachedError && (error.retryAfterMs ?? 0) > this.config.idleTimeoutMs)
        throw new RoomLimitReachedError(this.config.idleTimeoutMs);
      throw error;
    }
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
