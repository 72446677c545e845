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
 * Nothing here reads the HTTP request that opened a connection once it is open, yet engine.io would keep it (and its
 * headers and stream state) for as long as the member stays, with more of the upgrade around it: the engine.io socket
 * (`request`, read by socket.io to build `socket.handshake`: released on connection), the stand-in response engine.io
 * makes for each WebSocket upgrade (its `req`, and the response itself through the 'close' forwarder it adds to the TCP
 * socket: both released once the upgrade's response headers are written, which also covers connections that upgrade
 * from long-polling; engine middleware hands that response over) and the WebSocket's listener for errors before the
 * upgrade. About 1.8 KB per member in all (heap snapshots of 5,000 members).
 */
function releaseHandshakeRequests(server: Server): void {
  const upgradeResponses = new WeakMap<object, { response: UpgradeResponse; forwardClose?: Listener }>();
  server.engine.use((req: IncomingMessage, res: ServerResponse | UpgradeResponse, next: () => void) => {
    if (!(res instanceof ServerResponse)) {
      // The stand-in response's constructor has just added its 'close' forwarder to the TCP socket: the last one.
      upgradeResponses.set(req, { response: res, forwardClose: res.socket?.rawListeners('close').at(-1) as Listener });
    }
    next();
  });
  server.engine.on('headers', (_headers: unknown, req: IncomingMessage) => {
    const upgrade = upgradeResponses.get(req);
    if (!upgrade) return;
    upgrade.response.req = undefined;
    if (upgrade.forwardClose) upgrade.response.socket?.removeListener('close', upgrade.forwardClose);
  });
  server.on('connection', (socket: Socket) => {
    (socket.conn as unknown as { request?: unknown }).request = undefined;
    // Of the handshake only the address is read (logs); its headers, query, URL and time are let go.
    Object.assign(socket.handshake, { headers: NOTHING, query: NOTHING, url: '', time: '' });
    // engine.io's listener for errors before the WebSocket upgrade completes stays for good on connections that start
    // on WebSocket (the transport has its own error listener by now).
    const websocket = (socket.conn as unknown as { transport?: { socket?: NodeJS.EventEmitter } }).transport?.socket;
    for (const listener of websocket?.listeners('error') ?? []) {
      if (listener.name === 'onUpgradeError') websocket?.removeListener('error', listener as Listener);
    }
  });
}

/** One empty object for every socket's released handshake headers and query (frozen: shared). */
const NOTHING = Object.freeze({});
type Listener = (...args: unknown[]) => void;
/** engine.io's stand-in for the HTTP response of a WebSocket upgrade (what engine middleware gets as `res`). */
interface UpgradeResponse {
  req?: unknown;
  socket?: NodeJS.EventEmitter;
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
