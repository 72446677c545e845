/**
 * Sharded pub/sub subscriptions (SSUBSCRIBE) that follow the cluster: each channel is subscribed on the master that
 * serves its slot, and moves when the slot's master changes (a failover, a resharding). On a standalone Redis it is
 * one connection. Only public ioredis API: the command client's slot map (`Cluster.slots`) and its 'refresh' event.
 *
 * Why not ioredis' own `shardedSubscribers`: it opens a subscriber per master when a node joins the pool, and a
 * replica promoted by a failover was in the pool already (as a replica), so the channels of its slots were never
 * subscribed again (ioredis 5.8.2). Channels there stayed silent after every failover.
 */
import { Logger } from '@nestjs/common';
import calculateSlot from 'cluster-key-slot';
import Redis, { Cluster } from 'ioredis';
import { reconnectDelay, type RedisClient, type RedisTarget } from './redis-clients';

const STANDALONE = 'standalone';

export class ShardSubscriber {
  private readonly logger = new Logger(ShardSubscriber.name);
  /** Subscriber connections by node ("host:port", or STANDALONE). */
  private readonly connections = new Map<string, Redis>();
  /** Each subscribed channel's slot and the node it is subscribed on (null: not placed yet, retried at refresh). */
  private readonly channels = new Map<string, { slot: number; node: string | null }>();

  constructor(
    private readonly target: RedisTarget,
    private readonly commands: RedisClient,
    private readonly onMessage: (channel: string, payload: string) => void,
  ) {
    if (commands instanceof Cluster) commands.on('refresh', () => this.follow());
  }

  /** Resolves once the node serving the channel's slot confirmed the subscription. */
  async subscribe(channel: string): Promise<void> {
    const slot = calculateSlot(channel);
    const node = this.ownerOf(slot);
    this.channels.set(channel, { slot, node });
    if (node === null) throw new Error(`no master known for slot ${slot}`);
    await this.connection(node).ssubscribe(channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    const entry = this.channels.get(channel);
    this.channels.delete(channel);
    const connection = entry?.node ? this.connections.get(entry.node) : undefined;
    if (connection) await connection.sunsubscribe(channel);
  }

  disconnect(): void {
    for (const connection of this.connections.values()) connection.disconnect();
    this.connections.clear();
    this.channels.clear();
  }

  /** The slot map changed or was read again: channels whose slot has another master move there. */
  private follow(): void {
    for (const [channel, entry] of this.channels) {
      const owner = this.ownerOf(entry.slot);
      if (owner === null || owner === entry.node) continue;
      const previous = entry.node ? this.connections.get(entry.node) : undefined;
      entry.node = owner;
      previous?.sunsubscribe(channel).catch(() => undefined);
      this.connection(owner)
        .ssubscribe(channel)
        .catch((error: unknown) => {
          this.logger.warn(`ssubscribe ${channel} on ${owner} failed (retried at the next refresh): ${String(error)}`);
          if (this.channels.get(channel) === entry) entry.node = null;
        });
    }
    // Connections to nodes that serve no subscribed channel any more (a failed master, a demoted one) close.
    const used = new Set([...this.channels.values()].map((entry) => entry.node));
    for (const [node, connection] of this.connections) {
      if (used.has(node)) continue;
      connection.disconnect();
      this.connections.delete(node);
    }
  }

  private ownerOf(slot: number): string | null {
    if (!(this.commands instanceof Cluster)) return STANDALONE;
    return this.commands.slots[slot]?.[0] ?? null;
  }

  /** The node's subscriber connection: it keeps its offline queue and subscribes again by itself on reconnect. */
  private connection(node: string): Redis {
    let connection = this.connections.get(node);
    if (connection) return connection;
    // No ready check: its INFO would meet a connection that is already subscribing (SSUBSCRIBEs queued while it
    // connected), which Redis refuses in subscriber mode.
    const options = { retryStrategy: reconnectDelay, connectTimeout: 2000, enableReadyCheck: false };
    if (node === STANDALONE) {
      connection = new Redis(this.target.url, options);
    } else {
      const at = node.lastIndexOf(':');
      connection = new Redis({ ...options, host: node.slice(0, at), port: Number(node.slice(at + 1)) });
    }
    connection.on('error', (error: Error) => this.logger.warn(`redis subscriber ${node}: ${error.message}`));
    connection.on('smessage', (channel: string, payload: string) => this.onMessage(channel, payload));
    this.connections.set(node, connection);
    return connection;
  }
}
