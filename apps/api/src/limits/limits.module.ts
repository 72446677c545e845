/** Owns the flood limits and the connection caps. */
import { Global, Module } from '@nestjs/common';
import { ConnectionGuard } from './connection-guard';
import { RateLimits } from './rate-limits';

@Global()
@Module({ providers: [RateLimits, ConnectionGuard], exports: [RateLimits, ConnectionGuard] })
export class LimitsModule {}
