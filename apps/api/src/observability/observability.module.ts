/** Owns metrics (registry, /api/metrics) and the socket observer every instance runs; logging is wired in main.ts. */
import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { OpsMetrics } from './ops-metrics';
import { SocketObserver } from './socket-observer';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [OpsMetrics, SocketObserver],
  exports: [OpsMetrics, SocketObserver],
})
export class ObservabilityModule {}
