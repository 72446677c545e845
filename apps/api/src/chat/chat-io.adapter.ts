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
import { CompactMap } from './compact-map';

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
 * upgrade. About 1.8 KB per member in all (heap snapshots of 5,000 members). Also, once connected (below): the
 * socket.io room named after the socket's id goes, and a few per-connection structures of socket.io, engine.io and ws
 * are swapped for smaller equivalents with the same contents: 2 KB per member together (the README's 10 KB paragraph
 * has the steps).
 */
function trimConnections(server: Server): void {
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
    const transport = (socket.conn as unknown as { transport?: { socket?: NodeJS.EventEmitter } }).transport;
    // engine.io's listener for errors before the WebSocket upgrade completes stays for good on connections that start
    // on WebSocket (the transport has its own error listener by now).
    const websocket = transport?.socket;
    for (const listener of websocket?.listeners('error') ?? []) {
      if (listener.name === 'onUpgradeError') websocket?.removeListener('error', listener as Listener);
    }
    // socket.io puts every socket in a room named after its id, for `to(socket.id)` and `socket.broadcast`; tiny-chat
    // sends to a socket directly and to rooms and member channels, never to a socket id: that room (a Set and an
    // entry in the adapter's room map, ~0.2 KB per member) goes.
    void socket.leave(socket.id);
    // Two one-entry arrays that a push onto [] grew to 17 slots (~0.1 KB each) are swapped for exact copies: the
    // decoder's 'decoded' listeners and engine.io's cleanups for the transport.
    const callbacks = (socket.client as unknown as { decoder?: { _callbacks?: Record<string, unknown[]> } }).decoder
      ?._callbacks;
    if (callbacks?.$decoded) callbacks.$decoded = callbacks.$decoded.slice();
    const conn = socket.conn as unknown as { cleanupFn?: unknown[] };
    if (conn.cleanupFn) conn.cleanupFn = conn.cleanupFn.slice();
    // Three Maps that hold one entry or none for good (see CompactMap): 0.4 KB per member.
    compactMaps(socket as unknown as MapHolder, 'acks');
    compactMaps(socket.client as unknown as MapHolder, 'sockets', 'nsps');
    // The event listener tables of the socket.io socket, the engine.io socket, its transport and the WebSocket.
    for (const emitter of [socket, socket.conn, transport, websocket]) compactListeners(emitter);
  });
}

/**
 * Node's EventEmitter keeps an emitter's listeners in a null-prototype object, which V8 stores as a hash table (about
 * 0.24 KB for a handful of events). The same entries in an ordinary null-prototype object are about 0.1 KB, with one
 * hidden class shared by every socket's copy. It behaves the same; removing an event type later turns it back into a
 * hash table, which is all that changes.
 */
function compactListeners(emitter: unknown): void {
  const holder = emitter as { _events?: Record<PropertyKey, unknown> } | undefined;
  const events = holder?._events;
  if (!holder || !events) return;
  const compact = Object.setPrototypeOf({}, null) as Record<PropertyKey, unknown>;
  for (const key of Reflect.ownKeys(events)) compact[key] = events[key];
  holder._events = compact;
}

type MapHolder = Record<string, unknown>;

function compactMaps(holder: MapHolder, ...fields: string[]): void {
  for (const field of fields) {
    const map = holder[field];
    if (map instanceof Map) holder[field] = new CompactMap(map);
  }
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
    trimConnections(server);
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
    // onAny would grow a fresh listener array to 17 slots (152 bytes per member) for its one listener.
    const sockets = socket as unknown as { _anyListeners?: unknown[] };
    if (sockets._anyListeners === undefined) sockets._anyListeners = [this.dispatch];
    else socket.onAny(this.dispatch);
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
