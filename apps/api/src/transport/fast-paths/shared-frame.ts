/**
 * Fast path `shared-frame`: a room broadcast whose WebSocket frame is built once, not once per member.
 *
 * socket.io encodes a broadcast's packet once, but then every member's engine.io socket wraps it in a packet object
 * and encodes it again, and every member's ws sender measures and UTF-8 encodes the text again and frames it in a
 * header of its own: on a busy room that per-member work is most of what a delivery costs besides the write itself.
 * Here the frame (engine.io message packet, socket.io event packet, WebSocket header) is built once and the same bytes
 * go to each member's TCP socket through the turn's cork (common/coalesced-writes), which is what engine.io and ws
 * would have written.
 *
 * A member gets the shared frame only when nothing of its own is queued ahead of it anywhere: an open engine.io
 * socket that is not upgrading and holds no packets, on a writable WebSocket transport whose ws sender is idle
 * (no queued message, no fragment in progress) over a writable TCP socket. Any other member (long-polling, upgrading,
 * backed up) gets the same packet through socket.io's own path, so each member's frames stay in the order they were
 * emitted. Bypassing socket.io's emit also bypasses what socket.io does around it, none of which this server uses:
 * outgoing `onAnyOutgoing` listeners, connection state recovery, per-message deflate (off).
 *
 * Relies on: ws's `Sender.frame` and a sender's `_state`, `_queue`, `_firstFragment`, a WebSocket's `_sender` and
 * `_socket`; engine.io's socket `readyState`, `upgrading`, `writeBuffer`, `transport` and the transport's `name`,
 * `writable` and `socket`. With the fast path off (or a check failed), `server.local.to(room).emit` serves.
 */
import type { Socket as TcpSocket } from 'node:net';
import type { Server, Socket } from 'socket.io';
import ws from 'ws';
import { corkForThisTurn } from '../../common/coalesced-writes';
import { blankServerWebSocket } from './corked-websocket-writes';
import type { FastPath, FastPaths } from './fast-paths';

interface FrameOptions {
  fin: boolean;
  mask: boolean;
  opcode: number;
  readOnly: boolean;
  rsv1: boolean;
}
/** ws's frame builder (exported by ws, not in its typings): the header a server puts before a payload. */
interface SenderClass {
  new (socket: object): Partial<WsSender>;
  frame?(data: Buffer, options: FrameOptions): Buffer[];
}
interface WsSender {
  _state: number;
  _queue: unknown[];
  _firstFragment: boolean;
}

const Sender = (ws as unknown as { Sender?: SenderClass }).Sender;

/** socket.io-parser's EVENT packet type, and engine.io-parser's prefix of a message packet. */
const SOCKET_IO_EVENT = 2;
const ENGINE_IO_MESSAGE = '4';
/** ws's WebSocket.OPEN, and its sender's state when nothing is pending (ws/lib/sender.js DEFAULT). */
const WS_OPEN = 1;
const SENDER_IDLE = 0;

/** The engine.io and ws internals the check reads (not in their public typings; engine.io 6.6, ws 8). */
interface EngineSocket {
  readyState: string;
  upgrading: boolean;
  writeBuffer: unknown[];
  transport?: {
    name: string;
    writable: boolean;
    socket?: {
      readyState: number;
      _socket?: TcpSocket;
      _sender?: WsSender;
    };
  };
}

export const sharedFrame: FastPath<Socket> = {
  name: 'shared-frame',
  check() {
    if (typeof Sender?.frame !== 'function') return 'ws `Sender.frame` is not a function';
    const sender = new Sender({});
    if (typeof sender._state !== 'number') return 'ws Sender has no number `_state`';
    if (!Array.isArray(sender._queue)) return 'ws Sender has no array `_queue`';
    if (typeof sender._firstFragment !== 'boolean') return 'ws Sender has no boolean `_firstFragment`';
    const websocket = blankServerWebSocket();
    for (const field of ['_sender', '_socket']) if (!(field in websocket)) return `ws WebSocket has no \`${field}\``;
    return undefined;
  },
  checkLive(socket) {
    const conn = socket.conn as unknown as Partial<EngineSocket>;
    if (typeof conn.readyState !== 'string') return 'engine.io Socket has no string `readyState`';
    if (typeof conn.upgrading !== 'boolean') return 'engine.io Socket has no boolean `upgrading`';
    if (!Array.isArray(conn.writeBuffer)) return 'engine.io Socket has no array `writeBuffer`';
    const transport = conn.transport;
    if (typeof transport?.name !== 'string') return 'engine.io Socket has no `transport.name`';
    if (typeof transport.writable !== 'boolean') return 'engine.io transport has no boolean `writable`';
    if (transport.name === 'websocket' && typeof transport.socket !== 'object')
      return 'engine.io WebSocket transport has no `socket`';
    return undefined;
  },
};

/** The member's TCP socket when the shared frame may be written to it now (see above), else undefined. */
function idleWebSocketOf(socket: Socket): TcpSocket | undefined {
  const conn = socket.conn as unknown as EngineSocket;
  if (conn.readyState !== 'open' || conn.upgrading || conn.writeBuffer.length > 0) return undefined;
  const transport = conn.transport;
  if (transport?.name !== 'websocket' || !transport.writable) return undefined;
  const ws = transport.socket;
  const sender = ws?._sender;
  if (ws?.readyState !== WS_OPEN || !sender) return undefined;
  if (sender._state !== SENDER_IDLE || sender._queue.length > 0 || !sender._firstFragment) return undefined;
  const tcp = ws._socket;
  return tcp && !tcp.destroyed && tcp.writable ? tcp : undefined;
}

/** One WebSocket text frame (unmasked, as a server sends) carrying `text`. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const [header] = (Sender as Required<SenderClass>).frame(payload, {
    fin: true,
    mask: false,
    opcode: 1,
    readOnly: false,
    rsv1: false,
  });
  return Buffer.concat([header as Buffer, payload]);
}

/** What socket.io's encoder makes of an event packet on the main namespace whose data serializes to `json`. */
function eventWithJson(event: string, json: string): string {
  return `${SOCKET_IO_EVENT}[${JSON.stringify(event)},${json}]`;
}

/** socket.io's own encoding of an event packet on the main namespace; null when it has binary parts (not one string). */
function encodeEvent(server: Server, event: string, data: unknown): string | null {
  const encoded = server.encoder.encode({ type: SOCKET_IO_EVENT, nsp: '/', data: [event, data] }) as unknown[];
  return encoded.length === 1 && typeof encoded[0] === 'string' ? encoded[0] : null;
}

export class SharedFrameBroadcast {
  constructor(private readonly fastPaths: FastPaths) {}

  /**
   * Emits `event` with `data` to the members of `room` connected to this instance (socket.io's
   * `server.local.to(room)`), building the frame once when the fast path may run. `json`, when given, is `data`
   * already serialized (same fields and values): the frame carries it as is. Returns how many members got it.
   */
  broadcastLocally(server: Server, room: string, event: string, data: unknown, json?: string): number {
    const namespace = server.of('/');
    const ids = namespace.adapter.rooms.get(room);
    if (!ids) return 0;
    if (!this.fastPaths.allows(sharedFrame)) {
      server.local.to(room).emit(event, data);
      return ids.size;
    }
    let frame: Buffer | null | undefined;
    let fast = true;
    let sent = 0;
    for (const id of ids) {
      const socket = namespace.sockets.get(id);
      if (!socket?.connected) continue;
      let tcp: TcpSocket | undefined;
      if (fast) {
        try {
          // The live check runs on the first member ever seen; later calls read a kept verdict.
          tcp = this.fastPaths.allowsFor(sharedFrame, socket) ? idleWebSocketOf(socket) : undefined;
          if (tcp && frame === undefined) {
            const text = json === undefined ? encodeEvent(server, event, data) : eventWithJson(event, json);
            frame = text === null ? null : textFrame(ENGINE_IO_MESSAGE + text);
          }
        } catch (error) {
          // A shape the checks did not foresee: this member and every later one take socket.io's path.
          this.fastPaths.disable(sharedFrame, error instanceof Error ? error.message : String(error));
          fast = false;
          tcp = undefined;
        }
      }
      if (tcp && frame) {
        corkForThisTurn(tcp);
        tcp.write(frame);
      } else {
        socket.emit(event, data);
      }
      sent++;
    }
    return sent;
  }
}
