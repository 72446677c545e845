/**
 * Flood limits (rate-limiter-flexible): rooms per client IP, messages per member and per client IP, joins per
 * connection and per client IP, message:list requests per member. The per-address budgets stop one client from multiplying the others: a socket in 30
 * rooms is 30 members with a message budget each, and a new socket has a fresh join budget, but both still come from
 * one address. In Redis mode the counters live in Redis, so every instance enforces one shared budget. 0 turns a
 * limit off.
 */
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import {
  BurstyRateLimiter,
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { RateLimitedError, StoreUnavailableError } from '../common/domain-errors';
import { AppConfig } from '../config/app-config';
import { connectRedis, RedisClient } from '../rooms/redis-clients';
import { corkRedisWrites } from '../transport/fast-paths/corked-redis-writes';
import { FastPaths } from '../transport/fast-paths/fast-paths';

interface Limiter {
  consume(key: string): Promise<unknown>;
}

/** Sustained rate plus burst: the burst allowance refills over this window. */
const BURST_WINDOW_SEC = 10;

@Injectable()
export class RateLimits implements OnModuleDestroy {
  private readonly redis?: RedisClient;
  private readonly rooms?: Limiter;
  private readonly messages?: Limiter;
  private readonly joins?: Limiter;
  private readonly joinsPerIp?: Limiter;
  private readonly messagesPerIp?: Limiter;
  private readonly lists?: Limiter;

  constructor(config: AppConfig, fastPaths: FastPaths) {
    // Every counter is one key (its own slot in a cluster); each node's connection corks its own writes.
    if (config.store === 'redis') this.redis = connectRedis(config.redisTarget);
    if (this.redis) corkRedisWrites(this.redis, fastPaths);
    this.redis?.on('error', () => undefined); // the room store logs Redis trouble; a failed consume answers below
    const make = (name: string, points: number, duration: number): RateLimiterAbstract =>
      this.redis
        ? new RateLimiterRedis({
            storeClient: this.redis,
            keyPrefix: `${config.redisKeyPrefix}rl:${name}`,
            points,
            duration,
          })
        : new RateLimiterMemory({ keyPrefix: name, points, duration });
    if (config.rateRoomsPerMin > 0) this.rooms = make('rooms', config.rateRoomsPerMin, 60);
    if (config.rateJoinsPerMin > 0) this.joins = make('joins', config.rateJoinsPerMin, 60);
    if (config.rateJoinsPerIpPerMin > 0) this.joinsPerIp = make('joinsip', config.rateJoinsPerIpPerMin, 60);
    if (config.rateMessagesPerIpPerSec > 0) this.messagesPerIp = make('msgip', config.rateMessagesPerIpPerSec, 1);
    if (config.rateListsPerSec > 0) {
      // A burst of twice the sustained rate, refilled over the burst window.
      const rate = config.rateListsPerSec;
      this.lists = new BurstyRateLimiter(make('list', rate, 1), make('listburst', rate, BURST_WINDOW_SEC));
    }
    if (config.rateMessagesPerSec > 0) {
      const sustained = make('msg', config.rateMessagesPerSec, 1);
      const extra = config.rateMessagesBurst - config.rateMessagesPerSec;
      this.messages =
        extra > 0 ? new BurstyRateLimiter(sustained, make('msgburst', extra, BURST_WINDOW_SEC)) : sustained;
    }
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }

  /** One room creation by this client address. */
  roomCreation(clientIp: string): Promise<void> {
    return this.take(this.rooms, clientIp);
  }

  /**
   * One message by this member (keyed by its token hash) from this client address (when known); undefined (nothing
   * to wait for) when both limits are off, the hot path's common case.
   */
  message(memberId: string, clientIp?: string): Promise<void> | undefined {
    const perIp = clientIp === undefined ? undefined : this.messagesPerIp;
    if (!perIp) return this.messages ? this.take(this.messages, memberId) : undefined;
    return this.take(this.messages, memberId).then(() => this.take(perIp, clientIp ?? ''));
  }

  /** One message:list request by this member (keyed by its token hash). */
  list(memberId: string): Promise<void> {
    return this.take(this.lists, memberId);
  }

  /** One room:join attempt on this connection, from this client address. */
  async join(connectionId: string, clientIp: string): Promise<void> {
    await this.take(this.joins, connectionId);
    await this.take(this.joinsPerIp, clientIp);
  }

  private async take(limiter: Limiter | undefined, key: string): Promise<void> {
    if (!limiter) return;
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext)));
      throw new StoreUnavailableError();
    }
  }
}
