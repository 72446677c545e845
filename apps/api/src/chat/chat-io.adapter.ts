/** The socket.io server settings tiny-chat insists on: allowed origins on every request, no JSONP, small frames, no deflate. */
import { Logger, type INestApplicationContext } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { isObservable, lastValueFrom } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import type { Ack } from '@tiny-chat/shared-types';
import { AppConfig } from '../config/app-config';
import { guardEngineRequests, isOriginAllowed } from '../limits/origin-policy';
import { ackOf } from './ack';
import { trimAnyListeners, trimConnection, trimUpgrades } from '../transport/fast-paths/connection-memory';
import { corkWebSocketWrites } from '../transport/fast-paths/corked-websocket-writes';
import { FastPaths } from '../transport/fast-paths/fast-paths';

/** Frames above this are refused (the connection that sent it is closed); a 1000-code-point message needs < 7 KB. */
export const MAX_FRAME_BYTES = 16 * 1024;

const logger = new Logger('ChatIoAdapter');

/** Sees every client event before its handler (metrics, drain); false: the handler does not run (the observer may have answered the ack itself). */
export interface ChatTraffic {
  admit(socket: Socket, event: unknown, args: unknown[]): boolean;
}

const UNKNOWN_EVENT: Ack<never> = { ok: false, error: { code: 'VALIDATION_ERROR', message: 'Unknown event' } };

export class ChatIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    protected readonly config: AppConfig,
    private readonly traffic?: ChatTraffic,
    protected readonly fastPaths: FastPaths = new FastPaths(config.fastPaths),
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
    // allowRequest only sees the handshake: later polling requests and upgrades are checked here.
    server.engine.use(guardEngineRequests(allowed));
    corkWebSocketWrites(this.fastPaths);
    trimUpgrades(server, this.fastPaths);
    server.on('connection', (socket: Socket) => trimConnection(socket, this.fastPaths));
    return server;
  }

  /**
   * Binds the gateway's @SubscribeMessage handlers through one catch-all listener shared by every socket (socket.io's
   * onAny, `this` is the socket) instead of Nest's rxjs pipeline per event per socket: with thousands of mostly idle
   * sockets and a message path that should cost as little as possible, a socket keeps only the handler callbacks Nest
   * bound to it, in an array the size of the handler table. Behaviour is Nest's: the handler's result (value, promise
   * or observable) goes back through the ack. An event no handler knows is answered VALIDATION_ERROR at once (when it
   * came with an ack).
   */
  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[]): void {
    const table = this.handlerTable(handlers);
    boundHandlers.set(socket, { table, callbacks: handlers.map((handler) => handler.callback as HandlerCallback) });
    socket.onAny(this.dispatch);
    trimAnyListeners(socket, this.fastPaths);
  }

  /** The handler table for this list of handlers: one per gateway, shared by its sockets. */
  private handlerTable(handlers: MessageMappingProperties[]): HandlerTable {
    const key = handlers.map((handler) => String(handler.message)).join('\n');
    let table = this.handlerTables.get(key);
    if (!table) {
      table = new Map(
        handlers.map((handler, index) => [
          handler.message,
          { index, ackHandledManually: !!handler.isAckHandledManually },
        ]),
      );
      this.handlerTables.set(key, table);
    }
    return table;
  }

  private readonly handlerTables = new Map<string, HandlerTable>();

  /** The one client-event listener of every socket (`this` is the socket). */
  private readonly dispatch = ((adapter: ChatIoAdapter) =>
    function (this: Socket, event: unknown, ...args: unknown[]): void {
      adapter.handle(this, event, args);
    })(this);

  private handle(socket: Socket, event: unknown, args: unknown[]): void {
    if (this.traffic && !this.traffic.admit(socket, event, args)) return;
    const bound = boundHandlers.get(socket);
    const entry = bound?.table.get(event);
    const callback = entry && bound?.callbacks[entry.index];
    if (!entry || !callback) {
      ackOf(args)?.(UNKNOWN_EVENT);
      return;
    }
    const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args);
    void (async () => {
      let response: unknown = await callback(data, ack);
      if (isObservable(response)) response = await lastValueFrom(response, { defaultValue: undefined });
      if (response === undefined || response === null) return;
      const reply = response as { event?: string; data?: unknown };
      if (reply.event) socket.emit(reply.event, reply.data);
      else if (!entry.ackHandledManually && typeof ack === 'function') (ack as (r: unknown) => void)(response);
    })().catch((error: unknown) => logger.error(`handler for ${String(event)} failed: ${String(error)}`));
  }
}

type HandlerCallback = (data: unknown, ack: unknown) => unknown;
/** Event name -> position of its handler in each socket's callbacks, and whether the handler answers the ack itself. */
type HandlerTable = Map<unknown, { index: number; ackHandledManually: boolean }>;
/** What each socket keeps of its bindings: the shared table and the callbacks Nest bound to this socket. */
const boundHandlers = new WeakMap<Socket, { table: HandlerTable; callbacks: HandlerCallback[] }>();
