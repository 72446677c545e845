/** The socket.io server settings tiny-chat insists on: allowed origins at the handshake, small frames, no deflate. */
import { Logger, type INestApplicationContext } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { isObservable, lastValueFrom } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { AppConfig } from '../config/app-config';
import { isOriginAllowed } from '../limits/origin-policy';
import { coalesceWrites } from './coalesced-writes';

/** Frames above this are refused (the connection that sent it is closed); a 1000-code-point message needs < 7 KB. */
export const MAX_FRAME_BYTES = 16 * 1024;

const logger = new Logger('ChatIoAdapter');

export class ChatIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    protected readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const allowed = this.config.allowedOrigins;
    const server = super.createIOServer(port, {
      ...options,
      serveClient: false,
      perMessageDeflate: false,
      httpCompression: false,
      // Room for the longest legal message even when MAX_MESSAGE_LENGTH is raised (6 bytes per escaped code point).
      maxHttpBufferSize: Math.max(MAX_FRAME_BYTES, this.config.maxMessageLength * 6 + 1024),
      // CORS does not protect WebSockets: check the Origin of every handshake.
      allowRequest: (req, callback) => callback(null, isOriginAllowed(req.headers.origin, req.headers.host, allowed)),
      cors: allowed.length > 0 ? { origin: allowed.includes('*') ? true : allowed } : undefined,
    } as ServerOptions) as Server;
    coalesceWrites(server);
    return server;
  }

  /**
   * Binds the gateway's @SubscribeMessage handlers with one plain listener per event. Nest's default builds an
   * rxjs pipeline per event per socket; on a chat server, with thousands of mostly idle sockets and a message
   * path that should cost as little as possible, plain listeners keep memory per member and CPU per message down.
   * Behaviour is the same: the handler's result (value, promise or observable) is sent back through the ack.
   */
  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[]): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(String(message), (...args: unknown[]) => {
        const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args);
        void (async () => {
          let response: unknown = await (callback as (data: unknown, ack: unknown) => unknown)(data, ack);
          if (isObservable(response)) response = await lastValueFrom(response, { defaultValue: undefined });
          if (response === undefined || response === null) return;
          const reply = response as { event?: string; data?: unknown };
          if (reply.event) socket.emit(reply.event, reply.data);
          else if (!isAckHandledManually && typeof ack === 'function') (ack as (r: unknown) => void)(response);
        })().catch((error: unknown) => logger.error(`handler for ${String(message)} failed: ${String(error)}`));
      });
    }
  }
}
