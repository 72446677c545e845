/** Swagger descriptions of the REST bodies; each implements its shared-types twin so they cannot drift. */
import { ApiProperty } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../common/error-response.dto';
import {
  type CreateRoomRequest,
  type CreateRoomResponse,
  type HealthResponse,
  type Member,
  type MyRoomsResponse,
  type OwnedRoom,
  type RoomDetails,
  type RoomSummary,
} from '@tiny-chat/shared-types';

export class CreateRoomRequestDto implements CreateRoomRequest {
  @ApiProperty({
    required: false,
    default: false,
    description: 'end-to-end encrypted: texts and the title must be e1 envelopes (the key never reaches the server)',
  })
  encrypted?: boolean;
  @ApiProperty({
    required: false,
    description:
      'plain room: 1-64 code points after NFKC and trimming, no control, bidi or other invisible characters; ' +
      'encrypted room: an e1 envelope of at most 64 code points of plaintext',
    example: 'Friday plans',
  })
  title?: string;
}

export class RoomSummaryDto implements RoomSummary {
  @ApiProperty({ description: '128-bit random id, base64url (22 characters)', example: 'q3Zk1x0bN2m9cV7aT4yLwA' })
  roomId!: string;
  @ApiProperty({ description: 'end-to-end encrypted room' })
  encrypted!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the title (an e1 envelope in an encrypted room), or null',
  })
  title!: string | null;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'createdAt + ROOM_MAX_TTL_SEC: the room dies then whatever happens',
  })
  expiresAt!: string;
  @ApiProperty({
    format: 'date-time',
    description: 'when the room closes unless someone creates, joins or sends before',
  })
  idleExpiresAt!: string;
}

export class CreateRoomResponseDto extends RoomSummaryDto implements CreateRoomResponse {
  @ApiProperty({
    description:
      'the owner key: 256 random bits, base64url (43 characters), shown only here (the server keeps its hash). ' +
      'DELETE /api/rooms/{roomId} with `Authorization: Bearer <ownerKey>` closes the room.',
    example: 'Zx0cJ9uVq3n2b8KpW1yT5aQeR7sDfG4hL6mN0oP2rS8',
  })
  ownerKey!: string;
}

export class MemberDto implements Member {
  @ApiProperty()
  nick!: string;
  @ApiProperty({ description: 'true while at least one socket of the member is connected' })
  online!: boolean;
  @ApiProperty({
    description:
      'public random id of the member in this room (>= 96 bits, base64url), stable across rejoins; a later member with the same nick gets another',
  })
  memberId!: string;
}

export class RoomDetailsDto extends RoomSummaryDto implements RoomDetails {
  @ApiProperty({ type: [MemberDto] })
  members!: MemberDto[];
  @ApiProperty({ description: 'id of the newest message, 0 when none yet' })
  lastMessageId!: number;
}

export { ErrorResponseDto };

export class OwnedRoomDto extends RoomSummaryDto implements OwnedRoom {
  @ApiProperty({ description: 'members of the room (online or not)' })
  memberCount!: number;
}

export class MyRoomsDto implements MyRoomsResponse {
  @ApiProperty({ type: [OwnedRoomDto] })
  rooms!: OwnedRoomDto[];
}

export class StoreHealthDto {
  @ApiProperty({ enum: ['memory', 'redis'] })
  type!: 'memory' | 'redis';
  @ApiProperty()
  available!: boolean;
}

export class HealthDto implements HealthResponse {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
  @ApiProperty({ type: StoreHealthDto })
  store!: StoreHealthDto;
  @ApiProperty({
    description: 'random per process start: when it changes, the server restarted (memory rooms are gone)',
  })
  bootId!: string;
}
