/** SessionStore in Redis (STORE=redis): every instance sees every session; Redis expires the keys itself. */
import { Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { DomainError, StoreUnavailableError } from '../common/domain-errors';
import { redisClientOptions } from '../rooms/redis-room-repository';
import { SessionStore } from './session-store';

export class RedisSessionStore extends SessionStore implements OnModuleDestroy {
  private readonly logger = new Logger(RedisSessionStore.name);
  private readonly redis: Redis;

  /** `keyPrefix` is REDIS_KEY_PREFIX; the store adds `session:` so its keys never meet the rooms'. */
  constructor(url: string, keyPrefix: string) {
    super();
    this.redis = new Redis(url, { ...redisClientOptions(), keyPrefix: `${keyPrefix}session:` });
    this.redis.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.call(() => this.redis.set(key, value, 'PX', Math.max(1, Math.round(ttlMs))));
  }

  get(key: string): Promise<string | null> {
    return this.call(() => this.redis.get(key));
  }

  take(key: string): Promise<string | null> {
    return this.call(() => this.redis.getdel(key));
  }

  async delete(key: string): Promise<void> {
    await this.call(() => this.redis.del(key));
  }

  /** Redis away: the request answers STORE_UNAVAILABLE (503), like the rooms, rather than "signed out". */
  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new StoreUnavailableError();
    }
  }
}
