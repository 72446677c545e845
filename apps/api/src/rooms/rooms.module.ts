/** Owns the RoomRepository port and binds the implementation STORE selects. */
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { OpsMetrics } from '../observability/ops-metrics';
import { FastPaths } from '../transport/fast-paths/fast-paths';
import { InMemoryRoomRepository } from './in-memory-room-repository';
import { RedisRoomRepository } from './redis-room-repository';
import { refusalFor } from './redis-version';
import { RoomRepository } from './room-repository';

@Global()
@Module({
  providers: [
    {
      provide: RoomRepository,
      inject: [AppConfig, OpsMetrics, FastPaths],
      useFactory: async (config: AppConfig, metrics: OpsMetrics, fastPaths: FastPaths): Promise<RoomRepository> => {
        if (config.store === 'memory') return new InMemoryRoomRepository();
        const repo = new RedisRoomRepository({
          ...config.redisTarget,
          keyPrefix: config.redisKeyPrefix,
          graceMs: Math.max(60_000, 3 * config.cleanupIntervalSec * 1000),
          instanceTimeoutMs: config.instanceTimeoutSec * 1000,
          waitReplicas: config.redisWaitReplicas,
          waitTimeoutMs: config.redisWaitTimeoutMs,
          // A command may take as long as its WAIT, and then some.
          commandTimeoutMs: Math.max(1500, config.redisWaitTimeoutMs + 1000),
          observe: (command, seconds, failed) => metrics.redisCommand(command, seconds, failed),
          fastPaths,
        });
        // Start even when Redis is away: requests answer STORE_UNAVAILABLE until it is back. A Redis that answers
        // is checked once, here: one older than MIN_REDIS_VERSION is refused (main prints why and exits 1).
        const reachable = await repo.ready().then(
          () => true,
          () => false,
        );
        const refusal = reachable
          ? ((await repo.serverInfo()).map(refusalFor).find((reason) => reason !== null) ?? null)
          : null;
        if (refusal) {
          await repo.onModuleDestroy();
          throw new Error(refusal);
        }
        return repo;
      },
    },
  ],
  exports: [RoomRepository],
})
export class RoomsModule {}
