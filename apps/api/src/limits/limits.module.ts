/** Owns the flood limits, the connection caps and the output bound per connection. */
import { Global, Module } from '@nestjs/common';
import { ConnectionGuard } from './connection-guard';
import { OutputBackpressure } from './output-backpressure';
import { RateLimits } from './rate-limits';

@Global()
@Module({
  providers: [RateLimits, ConnectionGuard, OutputBackpressure],
  exports: [RateLimits, ConnectionGuard, OutputBackpressure],
})
export class LimitsModule {}
