/** SessionStore in Redis (STORE=redis): every instance sees every session; Redis expires the keys itself. */
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { DomainError, StoreUnavailableError } from '../common/domain-errors';
import { connectRedis, redisClientOptions, RedisClient, RedisTarget } from '../rooms/redis-clients';
import { SessionStore } from './session-store';

export class RedisSessionStore extends SessionStore implements OnModuleDestroy {
  private readonly logger = new Logger(RedisSessionStore.name);
  private readonly redis: RedisClient;

  /** `keyPrefix` is REDIS_KEY_PREFIX; the store adds `session:` so its keys never meet the rooms'. */
  constructor(target: RedisTarget, keyPrefix: string) {
    super();
    this.redis = connectRedis(target, { ...redisClientOptions(), keyPrefix: `${keyPrefix}session:` });
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
