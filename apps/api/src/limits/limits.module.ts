/** Owns the flood limits, the connection caps and the output bound and the join deadline per connection. */
import { Global, Module } from '@nestjs/common';
import { ConnectionGuard } from './connection-guard';
import { JoinTimeout } from './join-timeout';
import { OutputBackpressure } from './output-backpressure';
import { RateLimits } from './rate-limits';

@Global()
@Module({
  providers: [RateLimits, ConnectionGuard, OutputBackpressure, JoinTimeout],
  exports: [RateLimits, ConnectionGuard, OutputBackpressure, JoinTimeout],
})
export class LimitsModule {}
