/** The socket.io server settings tiny-chat insists on: allowed origins at the handshake, small frames, no deflate. */
import { ServerResponse, type IncomingMessage } from 'node:http';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { isObservable, lastValueFrom } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import type { Ack } from '@tiny-chat/shared-types';
import { AppConfig } from '../config/app-config';
import { isOriginAllowed } from '../limits/origin-policy';
import { ackOf } from './ack';
import { coalesceWrites } from '../common/coalesced-writes';

/** Frames above this are refused (the connection that sent it is closed); a 1000-code-point message needs < 7 KB. */
export const MAX_FRAME_BYTES = 16 * 1024;

const logger = new Logger('ChatIoAdapter');

/** Sees every client event before its handler (metrics, drain); false drops the event unanswered. */
export interface ChatTraffic {
  admit(socket: Socket, event: unknown, args: unknown[]): boolean;
}

const UNKNOWN_EVENT: Ack<never> = { ok: false, error: { code: 'VALIDATION_ERROR', message: 'Unknown event' } };

/**
 * Nothing here reads the HTTP request that opened a connection once it is open, yet two objects would keep it (and its
 * headers and stream state) for as long as the member stays: the engine.io socket (`request`, read by socket.io to
 * build `socket.handshake`: released on connection) and the stand-in response engine.io makes for each WebSocket
 * upgrade (`req`, kept alive by the TCP socket's 'close' listener: released once the upgrade's response headers are
 * written, which also covers connections that upgrade from long-polling). Engine middleware hands that response over.
 */
function releaseHandshakeRequests(server: Server): void {
  const upgradeResponses = new WeakMap<object, { req?: unknown }>();
  server.engine.use((req: IncomingMessage, res: ServerResponse | { req?: unknown }, next: () => void) => {
    if (!(res instanceof ServerResponse)) upgradeResponses.set(req, res);
    next();
  });
  server.engine.on('headers', (_headers: unknown, req: IncomingMessage) => {
    const response = upgradeResponses.get(req);
    if (response) response.req = undefined;
  });
  server.on('connection', (socket: Socket) => {
    (socket.conn as unknown as { request?: unknown }).request = undefined;
    socket.handshake.headers = {};
  });
}

export class ChatIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    protected readonly config: AppConfig,
    private readonly traffic?: ChatTraffic,
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
    coalesceWrites();
    releaseHandshakeRequests(server);
    return server;
  }

  /**
   * Binds the gateway's @SubscribeMessage handlers through one catch-all listener per socket (socket.io's onAny)
   * instead of Nest's rxjs pipeline per event per socket: with thousands of mostly idle sockets and a message path
   * that should cost as little as possible, one closure per socket keeps memory per member and CPU per message
   * down. Behaviour is Nest's: the handler's result (value, promise or observable) goes back through the ack.
   * An event no handler knows is answered VALIDATION_ERROR at once (when it came with an ack).
   */
  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[]): void {
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (this.traffic && !this.traffic.admit(socket, event, args)) return;
      const handler = handlers.find((h) => h.message === event);
      if (!handler) {
        ackOf(args)?.(UNKNOWN_EVENT);
        return;
      }
      const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args);
      void (async () => {
        let response: unknown = await (handler.callback as (data: unknown, ack: unknown) => unknown)(data, ack);
        if (isObservable(response)) response = await lastValueFrom(response, { defaultValue: undefined });
        if (response === undefined || response === null) return;
        const reply = response as { event?: string; data?: unknown };
        if (reply.event) socket.emit(reply.event, reply.data);
        else if (!handler.isAckHandledManually && typeof ack === 'function') (ack as (r: unknown) => void)(response);
      })().catch((error: unknown) => logger.error(`handler for ${String(event)} failed: ${String(error)}`));
    });
  }
}
