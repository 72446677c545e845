/** GET /api/metrics: the Prometheus exposition, behind METRICS_TOKEN when it is set. */
import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Clock } from '../common/clock';
import { UnauthorizedError } from '../common/domain-errors';
import { errorResponseOf } from '../common/error-mapping';
import { AppConfig } from '../config/app-config';
import { ServesWhileDraining } from './drain.guard';
import { RoomRepository } from '../rooms/room-repository';
import { OpsMetrics } from '../observability/ops-metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

@ApiExcludeController()
@ServesWhileDraining()
@Controller('metrics')
export class MetricsController {
  private readonly expected?: Buffer;

  constructor(
    private readonly metrics: OpsMetrics,
    private readonly rooms: RoomRepository,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    if (config.metricsToken !== undefined) this.expected = digest(`Bearer ${config.metricsToken}`);
  }

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    if (!this.authorized(authorization)) {
      const body = errorResponseOf(new UnauthorizedError('Missing or wrong metrics token'));
      res.status(body.statusCode).setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.json(body);
      return;
    }
    const counts = await this.rooms.countLive(this.clock.now()).catch(() => null);
    const text = await this.metrics.render(counts, this.rooms.listening());
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).setHeader('Content-Type', this.metrics.contentType);
    res.end(text);
  }

  /** Compares digests in constant time, so the answer time says nothing about the token. */
  private authorized(header: string | undefined): boolean {
    if (!this.expected) return true;
    return timingSafeEqual(digest(header ?? ''), this.expected);
  }
}
