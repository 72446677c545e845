/** REST for rooms: create (the brief's create_room), describe, and close (the owner). */
import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Ip,
  Param,
  Post,
  Req,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { CreateRoomResponse, GetRoomResponse } from '@tiny-chat/shared-types';
import type { Request } from 'express';
import { SESSION_SCHEME, Sessions } from '../auth/sessions';
import { AuthRequiredError } from '../common/domain-errors';
import { AppConfig } from '../config/app-config';
import { RateLimits } from '../limits/rate-limits';
import { CreationService } from './creation.service';
import { CreateRoomRequestDto, CreateRoomResponseDto, ErrorResponseDto, RoomDetailsDto } from './dto/room.dto';
import { bearerKeyOf } from './owner-key';

/** The security scheme names in the Swagger document (bootstrap.ts declares them). */
export const OWNER_KEY_SCHEME = 'ownerKey';

/** The refusals every room route may answer instead of its own work. */
const ApiRoomRouteRefusals = () =>
  applyDecorators(
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description:
        'ORIGIN_NOT_ALLOWED: the Origin header names a site that is neither this one nor in ALLOWED_ORIGINS; ' +
        'NOT_ROOM_OWNER (DELETE): neither the owner key nor the signed-in creator of the room; ' +
        'CSRF_REJECTED: a POST or DELETE with the session cookie from another site (checked before the Origin)',
    }),
    ApiServiceUnavailableResponse({
      type: ErrorResponseDto,
      description:
        'SHUTTING_DOWN: this instance is draining (Retry-After: 1, Connection: close; another instance answers); ' +
        'STORE_UNAVAILABLE: the room store does not answer',
    }),
  );

@ApiTags('rooms')
@Controller('rooms')
export class RoomsController {
  constructor(
    private readonly creation: CreationService,
    private readonly limits: RateLimits,
    private readonly sessions: Sessions,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({
    type: CreateRoomResponseDto,
    description: 'The new room; share its id as a link, keep its ownerKey to close it.',
  })
  @ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description:
      'ROOM_LIMIT_REACHED when MAX_ROOMS live rooms exist, or (AUTH_MODE=oidc) the signed-in user has ' +
      'MAX_ROOMS_PER_USER live rooms (Retry-After: when a slot frees at the earliest); ' +
      'RATE_LIMITED when this client address created RATE_ROOMS_PER_MIN rooms in the last minute (Retry-After).',
  })
  @ApiUnsupportedMediaTypeResponse({
    type: ErrorResponseDto,
    description: 'UNSUPPORTED_MEDIA_TYPE: a body is optional, but when sent it must be application/json',
  })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'PAYLOAD_TOO_LARGE: a body over 16 KB' })
  @ApiRoomRouteRefusals()
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'AUTH_REQUIRED: AUTH_MODE=oidc and signed out' })
  @ApiCookieAuth(SESSION_SCHEME)
  @ApiHeader({ name: 'Retry-After', required: false, description: 'seconds, on 429 and on 503 SHUTTING_DOWN' })
  @ApiBody({ type: CreateRoomRequestDto, required: false })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'VALIDATION_ERROR: an unknown field, a wrong type, or a title that breaks its rules',
  })
  async create(@Ip() clientIp: string, @Req() req: Request, @Body() body: unknown): Promise<CreateRoomResponse> {
    // With sign-in on, rooms belong to users: their count is what MAX_ROOMS_PER_USER caps.
    const user = this.config.auth.mode === 'oidc' ? await this.sessions.userOf(req) : null;
    if (this.config.auth.mode === 'oidc' && !user) throw new AuthRequiredError();
    await this.limits.roomCreation(clientIp);
    // No body is a plain, untitled room, like `{}`.
    return this.creation.createRoom(user?.id, body ?? {});
  }

  @Get(':roomId')
  @ApiParam({ name: 'roomId', description: 'the id from POST /api/rooms' })
  @ApiOkResponse({ type: RoomDetailsDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'ROOM_NOT_FOUND: unknown, malformed or expired id (one answer for all)',
  })
  @ApiRoomRouteRefusals()
  describe(@Param('roomId') roomId: string): Promise<GetRoomResponse> {
    return this.creation.describeRoom(roomId);
  }

  @Delete(':roomId')
  @HttpCode(204)
  @ApiBearerAuth(OWNER_KEY_SCHEME)
  @ApiCookieAuth(SESSION_SCHEME)
  @ApiParam({ name: 'roomId', description: 'the id from POST /api/rooms' })
  @ApiNoContentResponse({
    description: 'Closed: every member got room:closed with reason "closed"; the room is gone (ROOM_NOT_FOUND).',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'ROOM_NOT_FOUND: unknown, malformed or expired id' })
  @ApiRoomRouteRefusals()
  async close(
    @Param('roomId') roomId: string,
    @Req() req: Request,
    @Headers('authorization') authorization?: string,
  ): Promise<void> {
    const ownerKey = bearerKeyOf(authorization);
    const user = await this.sessions.userOf(req);
    await this.creation.closeRoom(roomId, {
      ...(ownerKey !== undefined && { ownerKey }),
      ...(user !== null && { userId: user.id }),
    });
  }
}
