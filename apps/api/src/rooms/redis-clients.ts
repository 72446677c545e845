/**
 * The ioredis clients of STORE=redis, on a standalone Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES).
 * Everything above this file talks to `RedisClient` only: one code path for both. In a cluster ioredis routes each
 * command by its first key's slot, so callers never send a multi-key command, MULTI or pipeline across slots.
 */
import Redis, { Cluster, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface RedisTarget {
  /** REDIS_URL: used when no cluster nodes are given. */
  url: string;
  /** REDIS_CLUSTER_NODES: the cluster's seed nodes; ioredis finds the rest. */
  clusterNodes?: ReadonlyArray<{ host: string; port: number }>;
}

/** Reconnect attempts: 100 ms more each time, at most a second apart. */
export const reconnectDelay = (attempt: number) => Math.min(100 * attempt, 1000);

/** Options that make a client fail fast while Redis is away and reconnect by itself. */
export function redisClientOptions(commandTimeoutMs = 1500) {
  return {
    enableOfflineQueue: false,
    // No auto-pipelining: corkRedisWrites already sends a turn's commands in one write, and ioredis'
    // auto-pipeline costs a Pipeline object (every defined script copied onto it) per turn plus a tick per reply.
    enableAutoPipelining: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: reconnectDelay,
  };
}

/** A command client: fails fast (no offline queue) while its Redis, or the master of a key's slot, is away. */
export function connectRedis(target: RedisTarget, options: RedisOptions = redisClientOptions()): RedisClient {
  if (!target.clusterNodes?.length) return new Redis(target.url, options);
  const { enableOfflineQueue, retryStrategy, keyPrefix, ...nodeOptions } = options;
  return new Cluster([...target.clusterNodes], {
    redisOptions: nodeOptions,
    keyPrefix,
    enableOfflineQueue: enableOfflineQueue ?? true,
    enableAutoPipelining: false,
    clusterRetryStrategy: retryStrategy === null ? () => null : (retryStrategy ?? reconnectDelay),
    // Reads go to masters: a replica may lag behind the room's last message.
    scaleReads: 'master',
    // During a failover the slot's master answers nothing or CLUSTERDOWN: retry briefly, then fail (no hang).
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 100,
    maxRedirections: 8,
    slotsRefreshTimeout: 2000,
    slotsRefreshInterval: 2000,
  });
}

/** The Redis servers that hold data: the standalone server, or every master of the cluster. */
export function dataNodes(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}
