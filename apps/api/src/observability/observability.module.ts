/**
 * Owns the metrics registry (OpsMetrics: the one port through which features report what observability records);
 * logging is wired in main.ts. Observability imports no feature: /api/metrics is served by health/, the socket
 * observer lives in chat/.
 */
import { Global, Module } from '@nestjs/common';
import { OpsMetrics } from './ops-metrics';

@Global()
@Module({
  providers: [OpsMetrics],
  exports: [OpsMetrics],
})
export class ObservabilityModule {}
