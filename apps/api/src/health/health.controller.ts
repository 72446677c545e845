/** Liveness. */
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { HealthResponse } from '@tiny-chat/shared-types';
import { AppConfig } from '../config/app-config';
import { HealthDto } from '../creation/dto/room.dto';
import { RoomRepository } from '../rooms/room-repository';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOkResponse({ type: HealthDto, description: 'The process is alive; `store` says whether the room store answers.' })
  async health(): Promise<HealthResponse> {
    return { status: 'ok', store: { type: this.config.store, available: await this.rooms.isAvailable() } };
  }
}
