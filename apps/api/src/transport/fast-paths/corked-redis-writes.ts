/**
 * Fast path `corked-redis-writes`: the commands of one loop turn go to Redis in one write (common/coalesced-writes):
 * at a few thousand sends a second each send is a loop turn of its own, and Redis answers a corked batch in one
 * write too.
 *
 * Relies on: ioredis' `stream` (the connection's socket, set on each connect) and ioredis writing each command with
 * one `stream.write`. The stream's own API (write, cork, uncork) is Node's.
 */
import Redis, { Cluster } from 'ioredis';
import { coalesceStreamWrites, type Corkable } from '../../common/coalesced-writes';
import type { FastPath, FastPaths } from './fast-paths';

type WritableStream = Corkable & { write: (...args: never[]) => boolean };

function streamOf(client: Redis): Partial<WritableStream> | undefined {
  return (client as unknown as { stream?: Partial<WritableStream> }).stream;
}

export const corkedRedisWrites: FastPath<Redis> = {
  name: 'corked-redis-writes',
  check: () => undefined,
  checkLive(client) {
    const stream = streamOf(client);
    if (!stream) return 'a connected ioredis client has no `stream`';
    for (const method of ['write', 'cork', 'uncork'] as const)
      if (typeof stream[method] !== 'function') return `ioredis \`stream.${method}\` is not a function`;
    return undefined;
  },
};

/**
 * From each (re)connect on, `client`'s writes of one turn leave together, when the fast path is allowed; for a
 * Redis Cluster, each node's connection as the cluster opens it.
 */
export function corkRedisWrites(client: Redis | Cluster, fastPaths: FastPaths): void {
  if (!fastPaths.allows(corkedRedisWrites)) return;
  if (client instanceof Cluster) {
    client.on('+node', (node: Redis) => corkRedisWrites(node, fastPaths));
    return;
  }
  client.on('connect', () => {
    if (fastPaths.allowsFor(corkedRedisWrites, client) && !corkedRedisWrites.checkLive?.(client))
      coalesceStreamWrites(streamOf(client) as WritableStream);
  });
}
