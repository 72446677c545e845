/** REST for rooms: create (the brief's create_room) and describe. */
import { Controller, Get, HttpCode, Ip, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { CreateRoomResponse, GetRoomResponse } from '@tiny-chat/shared-types';
import { RateLimits } from '../limits/rate-limits';
import { CreationService } from './creation.service';
import { ErrorResponseDto, RoomDetailsDto, RoomSummaryDto } from './dto/room.dto';

@ApiTags('rooms')
@Controller('rooms')
export class RoomsController {
  constructor(
    private readonly creation: CreationService,
    private readonly limits: RateLimits,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: RoomSummaryDto, description: 'The new room; share its id as a link.' })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description:
      'ROOM_LIMIT_REACHED when MAX_ROOMS live rooms exist (Retry-After: when a slot frees at the earliest); ' +
      'RATE_LIMITED when this client address created RATE_ROOMS_PER_MIN rooms in the last minute (Retry-After).',
  })
  @ApiHeader({ name: 'Retry-After', required: false, description: 'seconds, on 429' })
  async create(@Ip() clientIp: string): Promise<CreateRoomResponse> {
    await this.limits.roomCreation(clientIp);
    return this.creation.createRoom();
  }

  @Get(':roomId')
  @ApiParam({ name: 'roomId', description: 'the id from POST /api/rooms' })
  @ApiOkResponse({ type: RoomDetailsDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'ROOM_NOT_FOUND: unknown, malformed or expired id (one answer for all)',
  })
  describe(@Param('roomId') roomId: string): Promise<GetRoomResponse> {
    return this.creation.describeRoom(roomId);
  }
}
