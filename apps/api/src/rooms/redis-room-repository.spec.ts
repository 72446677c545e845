import { randomUUID } from 'node:crypto';
import { RedisRoomRepository } from './redis-room-repository';
import { describeRoomRepositoryContract } from './room-repository.contract';

function requireRedisUrl(): string {
  const url = process.env['REDIS_URL'];
  if (!url) throw new Error('REDIS_URL is not set: the jest global setup starts redis-server');
  return url;
}

describeRoomRepositoryContract(
  'redis',
  async () => {
    const repo = new RedisRoomRepository({
      url: requireRedisUrl(),
      keyPrefix: `test:${randomUUID()}:`,
      graceMs: 60_000,
      instanceTimeoutMs: 15_000,
    });
    await repo.ready();
    return repo;
  },
  async (repo) => (repo as RedisRoomRepository).onModuleDestroy(),
);
