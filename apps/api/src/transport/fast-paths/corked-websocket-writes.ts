/**
 * Fast path `corked-websocket-writes`: every engine.io WebSocket transport writes through the turn's cork
 * (common/coalesced-writes), so a connection's frames of one loop turn leave in one write.
 *
 * Relies on: engine.io's `transports.websocket.prototype.send` (patched once, on the class: nothing is added per
 * connection), its transports' `writable` flag and `readyState`, and ws's `WebSocket._socket` (the TCP socket).
 * engine.io holds back a connection's packets while its previous write is in flight (`writable` false until ws calls
 * back); inside a corked turn nothing is in flight yet, so the transport is marked writable again at once and the
 * turn's later packets go straight into the cork. Each `send` still gets its own completion callback, in order.
 * Long-polling is left as it is.
 */
import { transports } from 'engine.io';
import { WebSocket } from 'ws';
import { type Corkable, corkForThisTurn, firstPatch } from '../../common/coalesced-writes';
import type { FastPath, FastPaths } from './fast-paths';

/** The parts of engine.io's transport and ws's WebSocket this relies on (not in their public typings). */
interface EngineTransport {
  readyState?: string;
  writable: boolean;
  send(packets: unknown[]): void;
  socket?: { _socket?: Corkable | null };
}

type TransportClass = new (req: object) => Partial<EngineTransport>;
type ServerWebSocketClass = new (address: null, protocols: undefined, options: object) => object;

/** A server-side ws WebSocket as ws's server makes it before the upgrade: its fields exist, set to null. */
export function blankServerWebSocket(): object {
  return new (WebSocket as unknown as ServerWebSocketClass)(null, undefined, {});
}

export const corkedWebSocketWrites: FastPath = {
  name: 'corked-websocket-writes',
  check() {
    const websocket = (transports as Record<string, unknown> | undefined)?.websocket as TransportClass | undefined;
    if (typeof websocket?.prototype?.send !== 'function')
      return 'engine.io transports.websocket.prototype.send is not a function';
    // The base Transport class sets `writable`; made with the least of a request it reads.
    const base = Object.getPrototypeOf(websocket) as TransportClass;
    const transport = new base({ _query: { EIO: '4' } });
    if (typeof transport.writable !== 'boolean') return 'engine.io Transport has no boolean `writable`';
    if (!('readyState' in transport)) return 'engine.io Transport has no `readyState`';
    if (!('_socket' in blankServerWebSocket())) return 'ws WebSocket has no `_socket`';
    return undefined;
  },
};

/** Patches engine.io's WebSocket transport class once, when the fast path is allowed. */
export function corkWebSocketWrites(fastPaths: FastPaths): void {
  if (!fastPaths.allows(corkedWebSocketWrites)) return;
  const transport = transports.websocket.prototype as unknown as EngineTransport;
  if (!firstPatch(transport)) return;
  const send = transport.send;
  transport.send = function (this: EngineTransport, packets: unknown[]): void {
    // ws's `_socket` is the connection's net.Socket (checked at start); one property read per frame.
    const tcp = this.socket?._socket;
    if (tcp) corkForThisTurn(tcp);
    send.call(this, packets);
    // The frames only reach the kernel when the turn ends: later packets of this turn may join them.
    if (this.readyState === 'open') this.writable = true;
  };
}
