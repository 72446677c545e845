/** Owns liveness, readiness, /api/metrics and the drain on shutdown (with the guard that refuses new REST work meanwhile). */
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { DrainGuard } from './drain.guard';
import { DrainService } from './drain.service';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

@Module({
  // Readiness answers say what failed; terminus' own error log would only repeat it.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [DrainService, { provide: APP_GUARD, useClass: DrainGuard }],
  exports: [DrainService],
})
export class HealthModule {}
