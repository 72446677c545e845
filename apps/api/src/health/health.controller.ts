/** Liveness (/api/health) and readiness (/api/health/ready: the store answers and the instance is not draining). */
import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { ErrorResponse, HealthResponse } from '@tiny-chat/shared-types';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { HealthDto } from '../creation/dto/room.dto';
import { RoomRepository } from '../rooms/room-repository';
import { ServesWhileDraining } from './drain.guard';
import { DrainService } from './drain.service';

export type ReadinessResponse = HealthCheckResult | (ErrorResponse & HealthCheckResult);

@ApiTags('health')
@ServesWhileDraining()
@Controller('health')
export class HealthController {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly config: AppConfig,
    private readonly checks: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly drain: DrainService,
  ) {}

  /** New with every process start (96 random bits): a client that sees it change knows the server restarted. */
  private readonly bootId = randomBytes(12).toString('base64url');

  @Get()
  @ApiOkResponse({ type: HealthDto, description: 'The process is alive; `store` says whether the room store answers.' })
  async health(): Promise<HealthResponse> {
    return {
      status: 'ok',
      store: { type: this.config.store, available: await this.rooms.isAvailable() },
      bootId: this.bootId,
    };
  }

  @Get('ready')
  @ApiOkResponse({ description: 'Ready for new connections: the store answers and the instance is not shutting down.' })
  @ApiServiceUnavailableResponse({
    description:
      'Not ready: `{ statusCode: 503, code, message }` plus the per-check `info`/`error`/`details`; `code` is ' +
      'SHUTTING_DOWN while the instance drains, else STORE_UNAVAILABLE (the room store does not answer).',
  })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessResponse> {
    try {
      return await this.checks.check([() => this.store(), () => this.accepting()]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      res.status(503);
      return this.drain.draining
        ? { statusCode: 503, code: 'SHUTTING_DOWN', message: 'Not ready: shutting down', ...result }
        : {
            statusCode: 503,
            code: 'STORE_UNAVAILABLE',
            message: 'Not ready: the room store does not answer',
            ...result,
          };
    }
  }

  private async store() {
    const check = this.indicators.check('store');
    const details = { type: this.config.store };
    return (await this.rooms.isAvailable()) ? check.up(details) : check.down(details);
  }

  private accepting() {
    const check = this.indicators.check('accepting');
    return this.drain.draining ? check.down({ reason: 'shutting down' }) : check.up();
  }
}
