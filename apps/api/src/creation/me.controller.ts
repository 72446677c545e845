/** REST for the signed-in user's own things: the live rooms they created. */
import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { MyRoomsResponse } from '@tiny-chat/shared-types';
import type { Request } from 'express';
import { Clock } from '../common/clock';
import { AuthRequiredError } from '../common/domain-errors';
import { OidcOnlyGuard } from '../auth/oidc-only.guard';
import { SESSION_SCHEME, Sessions } from '../auth/sessions';
import { RoomRepository } from '../rooms/room-repository';
import { toRoomSummary } from './creation.service';
import { ErrorResponseDto, MyRoomsDto } from './dto/room.dto';

@ApiTags('auth')
@Controller('me')
@UseGuards(OidcOnlyGuard)
export class MeController {
  constructor(
    private readonly sessions: Sessions,
    private readonly rooms: RoomRepository,
    private readonly clock: Clock,
  ) {}

  @Get('rooms')
  @ApiCookieAuth(SESSION_SCHEME)
  @ApiOkResponse({ type: MyRoomsDto, description: 'The live rooms the signed-in user created, oldest first.' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'AUTH_REQUIRED: signed out' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'NOT_FOUND with AUTH_MODE=none' })
  async myRooms(@Req() req: Request): Promise<MyRoomsResponse> {
    const user = await this.sessions.userOf(req);
    if (!user) throw new AuthRequiredError();
    const rooms = await this.rooms.listRoomsOf(user.id, this.clock.now());
    return { rooms: rooms.map((room) => ({ ...toRoomSummary(room), memberCount: room.memberCount })) };
  }
}
