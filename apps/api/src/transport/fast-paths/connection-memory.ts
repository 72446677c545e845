/**
 * Fast paths that shrink what an idle member costs: each is applied to every new socket.io connection (and engine.io
 * upgrade) and checked on the first one. Nothing here reads the HTTP request that opened a connection once it is
 * open, nor sends to a socket's own id, so what only those would need is let go; a few per-connection structures of
 * socket.io, engine.io and ws are swapped for smaller equivalents with the same contents. docs/architecture.md ("What
 * an idle connection keeps") has the figures.
 *
 * - `release-upgrade-request`: engine.io keeps the request that opened a connection on its socket (`request`, read
 *   by socket.io to build `socket.handshake`), and on the stand-in response it makes for each WebSocket upgrade (its
 *   `req`, and the response itself through the 'close' forwarder it adds to the TCP socket); the handshake keeps only
 *   its address. Relies on: engine.io's socket `request`, the stand-in response's `req` and being the last 'close'
 *   listener added to the TCP socket before engine middleware runs, engine.io's WebSocket listener `onUpgradeError`.
 * - `no-own-id-room`: socket.io puts every socket in a room named after its id, for `to(socket.id)` and
 *   `socket.broadcast`; tiny-chat never sends to a socket id (public API: `socket.leave`).
 * - `compact-maps`: socket.io's `socket.acks`, `client.sockets` and `client.nsps` hold one entry or none for a
 *   connection's whole life: a CompactMap each.
 * - `compact-listener-tables`: Node's EventEmitter keeps listeners in a null-prototype object V8 stores as a hash
 *   table; the same entries in an ordinary null-prototype object are smaller and share one hidden class. Relies on:
 *   `_events` of the socket.io socket, the engine.io socket, its transport and the WebSocket.
 * - `exact-size-arrays`: one-entry arrays a push onto [] grew to 17 slots, copied to their size: the decoder's
 *   `_callbacks.$decoded`, engine.io's `cleanupFn`, socket.io's `_anyListeners` (after the public `onAny`).
 *
 * Each trick runs inside its own guard: one that throws is turned off with its warning, the connection is served.
 */
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import { CompactMap } from './compact-map';
import type { FastPath, FastPaths } from './fast-paths';

type Listener = (...args: unknown[]) => void;
type Fields = Record<string, unknown>;
/** engine.io's stand-in for the HTTP response of a WebSocket upgrade (what engine middleware gets as `res`). */
interface UpgradeResponse {
  req?: unknown;
  socket?: NodeJS.EventEmitter;
}

/** One empty object for every socket's released handshake headers and query (frozen: shared). */
const NOTHING = Object.freeze({});

const fieldsOf = (value: unknown): Fields => (value ?? {}) as Fields;
const transportOf = (socket: Socket): Fields | undefined => fieldsOf(socket.conn).transport as Fields | undefined;
const websocketOf = (socket: Socket): NodeJS.EventEmitter | undefined =>
  transportOf(socket)?.socket as NodeJS.EventEmitter | undefined;

/** A connection trick: its check on the first connection, and what it does to every connection. */
interface ConnectionTrick extends FastPath<Socket> {
  apply(socket: Socket): void;
}

const releaseUpgradeRequest: ConnectionTrick = {
  name: 'release-upgrade-request',
  check: () => undefined,
  checkLive(socket) {
    if (!('request' in fieldsOf(socket.conn))) return 'engine.io Socket has no `request`';
    return undefined;
  },
  apply(socket) {
    fieldsOf(socket.conn).request = undefined;
    // Of the handshake only the address is read (logs); its headers, query, URL and time are let go.
    Object.assign(socket.handshake, { headers: NOTHING, query: NOTHING, url: '', time: '' });
    // engine.io's listener for errors before the WebSocket upgrade completes stays for good on connections that start
    // on WebSocket (the transport has its own error listener by now).
    const websocket = websocketOf(socket);
    for (const listener of websocket?.listeners('error') ?? []) {
      if (listener.name === 'onUpgradeError') websocket?.removeListener('error', listener as Listener);
    }
  },
};

const noOwnIdRoom: ConnectionTrick = {
  name: 'no-own-id-room',
  check: () => undefined,
  apply(socket) {
    void socket.leave(socket.id);
  },
};

const compactMaps: ConnectionTrick = {
  name: 'compact-maps',
  check: () => undefined,
  checkLive(socket) {
    if (!(fieldsOf(socket).acks instanceof Map)) return 'socket.io Socket has no Map `acks`';
    for (const field of ['sockets', 'nsps'])
      if (!(fieldsOf(socket.client)[field] instanceof Map)) return `socket.io Client has no Map \`${field}\``;
    return undefined;
  },
  apply(socket) {
    compact(fieldsOf(socket), 'acks');
    compact(fieldsOf(socket.client), 'sockets', 'nsps');
  },
};

function compact(holder: Fields, ...fields: string[]): void {
  for (const field of fields) {
    const map = holder[field];
    if (map instanceof Map) holder[field] = new CompactMap(map);
  }
}

/** The emitters whose listener tables are copied: socket.io socket, engine.io socket, transport, WebSocket. */
const emittersOf = (socket: Socket): unknown[] => [socket, socket.conn, transportOf(socket), websocketOf(socket)];

const compactListenerTables: ConnectionTrick = {
  name: 'compact-listener-tables',
  check: () => undefined,
  checkLive(socket) {
    for (const emitter of emittersOf(socket)) {
      const events = fieldsOf(emitter)._events;
      if (emitter !== undefined && (typeof events !== 'object' || events === null || Object.getPrototypeOf(events)))
        return 'an EventEmitter has no null-prototype `_events`';
    }
    return undefined;
  },
  apply(socket) {
    for (const emitter of emittersOf(socket)) {
      const holder = fieldsOf(emitter);
      const events = holder._events as Record<PropertyKey, unknown> | undefined;
      if (!events || typeof events !== 'object') continue;
      const copy = Object.setPrototypeOf({}, null) as Record<PropertyKey, unknown>;
      for (const key of Reflect.ownKeys(events)) copy[key] = events[key];
      holder._events = copy;
    }
  },
};

/** [holder, field, what it is] of each array this trick copies to its size when a connection opens. */
function oneEntryArrays(socket: Socket): Array<[Fields, string, string]> {
  const decoder = fieldsOf(fieldsOf(socket.client).decoder);
  return [
    [fieldsOf(decoder._callbacks), '$decoded', 'socket.io decoder `_callbacks.$decoded`'],
    [fieldsOf(socket.conn), 'cleanupFn', 'engine.io Socket `cleanupFn`'],
  ];
}

function copyToSize(holder: Fields, field: string): void {
  const array = holder[field];
  if (Array.isArray(array)) holder[field] = array.slice();
}

const exactSizeArrays: ConnectionTrick = {
  name: 'exact-size-arrays',
  check: () => undefined,
  checkLive(socket) {
    for (const [holder, field, what] of oneEntryArrays(socket))
      if (!Array.isArray(holder[field])) return `${what} is not an array`;
    return undefined;
  },
  apply(socket) {
    for (const [holder, field] of oneEntryArrays(socket)) copyToSize(holder, field);
  },
};

/** Part of `exact-size-arrays`, once the socket has its one catch-all listener (socket.io's public `onAny`). */
export function trimAnyListeners(socket: Socket, fastPaths: FastPaths): void {
  if (!fastPaths.allowsFor(exactSizeArrays, socket)) return;
  const holder = fieldsOf(socket);
  if (!Array.isArray(holder._anyListeners)) {
    fastPaths.disable(exactSizeArrays, 'socket.io Socket `_anyListeners` is not an array after onAny');
    return;
  }
  copyToSize(holder, '_anyListeners');
}

/** In the order they are applied. */
export const CONNECTION_TRICKS: readonly ConnectionTrick[] = [
  releaseUpgradeRequest,
  noOwnIdRoom,
  compactMaps,
  compactListenerTables,
  exactSizeArrays,
];

/** Applies every allowed connection trick to `socket`; a trick that throws is turned off, the socket is served. */
export function trimConnection(socket: Socket, fastPaths: FastPaths): void {
  for (const trick of CONNECTION_TRICKS) {
    if (!fastPaths.allowsFor(trick, socket)) continue;
    try {
      trick.apply(socket);
    } catch (error) {
      fastPaths.disable(trick, error instanceof Error ? error.message : String(error));
    }
  }
}

/**
 * The upgrade's leftovers (part of `release-upgrade-request`): engine middleware sees the stand-in response right
 * after its constructor added its 'close' forwarder to the TCP socket; once the upgrade's response headers are written
 * the response lets go of the request and the forwarder goes (also for connections that upgrade from long-polling).
 */
export function trimUpgrades(server: Server, fastPaths: FastPaths): void {
  if (!fastPaths.enabled) return;
  const upgradeResponses = new WeakMap<object, { response: UpgradeResponse; forwardClose?: Listener }>();
  server.engine.use((req: IncomingMessage, res: ServerResponse | UpgradeResponse, next: () => void) => {
    try {
      if (!(res instanceof ServerResponse) && fastPaths.allows(releaseUpgradeRequest)) {
        if (!('req' in res)) fastPaths.disable(releaseUpgradeRequest, "engine.io's upgrade response has no `req`");
        else
          upgradeResponses.set(req, {
            response: res,
            forwardClose: res.socket?.rawListeners('close').at(-1) as Listener,
          });
      }
    } catch (error) {
      fastPaths.disable(releaseUpgradeRequest, error instanceof Error ? error.message : String(error));
    }
    next();
  });
  server.engine.on('headers', (_headers: unknown, req: IncomingMessage) => {
    const upgrade = upgradeResponses.get(req);
    if (!upgrade) return;
    upgrade.response.req = undefined;
    if (upgrade.forwardClose) upgrade.response.socket?.removeListener('close', upgrade.forwardClose);
  });
}
