/** socket.io with the official Redis adapter: broadcasts and room membership reach sockets on every instance. */
import { Logger } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { redisClientOptions } from '../rooms/redis-room-repository';
import { ChatIoAdapter } from './chat-io.adapter';

export class RedisIoAdapter extends ChatIoAdapter {
  private readonly logger = new Logger(RedisIoAdapter.name);
  private readonly clients: Redis[] = [];
  private adapterConstructor?: ReturnType<typeof createAdapter>;

  connectToRedis(): void {
    // The publisher fails fast while Redis is away; the subscriber queues and re-subscribes after a reconnect.
    const pub = new Redis(this.config.redisUrl, redisClientOptions());
    const sub = new Redis(this.config.redisUrl, { retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000) });
    for (const client of [pub, sub]) {
      client.on('error', (error: Error) => this.logger.warn(`redis adapter: ${error.message}`));
      this.clients.push(client);
    }
    this.adapterConstructor = createAdapter(pub, sub, { key: `${this.config.redisKeyPrefix}socket.io` });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    if (this.adapterConstructor) server.adapter(this.adapterConstructor);
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    for (const client of this.clients) client.disconnect();
  }
}
