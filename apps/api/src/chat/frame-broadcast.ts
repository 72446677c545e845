/**
 * A room broadcast whose WebSocket frame is built once, not once per member.
 *
 * socket.io encodes a broadcast's packet once, but then every member's engine.io socket wraps it in a packet object
 * and encodes it again, and every member's ws sender measures and UTF-8 encodes the text again and frames it in a
 * header of its own: on a busy room that per-member work is most of what a delivery costs besides the write itself.
 * Here the frame (engine.io message packet, socket.io event packet, WebSocket header) is built once and the same bytes
 * go to each member's TCP socket through the turn's cork (see coalesced-writes), which is what engine.io and ws would
 * have written.
 *
 * A member gets the shared frame only when nothing of its own is queued ahead of it anywhere: an open engine.io
 * socket that is not upgrading and holds no packets, on a writable WebSocket transport whose ws sender is idle
 * (no queued message, no fragment in progress) over a writable TCP socket. Any other member (long-polling, upgrading,
 * backed up) gets the same packet through socket.io's own path, so each member's frames stay in the order they were
 * emitted. Bypassing socket.io's emit also bypasses what socket.io does around it, none of which this server uses:
 * outgoing `onAnyOutgoing` listeners, connection state recovery, per-message deflate (off).
 */
import type { Socket as TcpSocket } from 'node:net';
import type { Server, Socket } from 'socket.io';
import ws from 'ws';
import { corkForThisTurn } from '../common/coalesced-writes';

/** ws's frame builder (public in ws, not in its typings): the header a server puts before a payload. */
const { Sender } = ws as unknown as {
  Sender: {
    frame(
      data: Buffer,
      options: { fin: boolean; mask: boolean; opcode: number; readOnly: boolean; rsv1: boolean },
    ): Buffer[];
  };
};

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
      _sender?: { _state: number; _queue: unknown[]; _firstFragment: boolean };
    };
  };
}

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
  const [header] = Sender.frame(payload, { fin: true, mask: false, opcode: 1, readOnly: false, rsv1: false });
  return Buffer.concat([header as Buffer, payload]);
}

/**
 * Emits `event` with `data` to the members of `room` connected to this instance (socket.io's `server.local.to(room)`),
 * building the frame once. `json`, when given, is `data` already serialized (same fields and values): the frame carries
 * it as is. Returns how many members got it.
 */
export function broadcastLocally(server: Server, room: string, event: string, data: unknown, json?: string): number {
  const namespace = server.of('/');
  const ids = namespace.adapter.rooms.get(room);
  if (!ids) return 0;
  let frame: Buffer | null | undefined;
  let sent = 0;
  for (const id of ids) {
    const socket = namespace.sockets.get(id);
    if (!socket?.connected) continue;
    const tcp = idleWebSocketOf(socket);
    if (tcp && frame === undefined) {
      const text = json === undefined ? encodeEvent(server, event, data) : eventWithJson(event, json);
      frame = text === null ? null : textFrame(ENGINE_IO_MESSAGE + text);
    }
    if (tcp && frame) {
      corkForThisTurn(tcp);
      tcp.write(frame);
    } else {
      socket.emit(event as never, data as never);
    }
    sent++;
  }
  return sent;
}

/** What socket.io's encoder makes of an event packet on the main namespace whose data serializes to `json`. */
function eventWithJson(event: string, json: string): string {
  return `${SOCKET_IO_EVENT}[${JSON.stringify(event)},${json}]`;
}

/** socket.io's own encoding of an event packet on the main namespace; null when it has binary parts (not one string). */
function encodeEvent(server: Server, event: string, data: unknown): string | null {
  const encoder = server.encoder as unknown as { encode(packet: object): unknown[] };
  const encoded = encoder.encode({ type: SOCKET_IO_EVENT, nsp: '/', data: [event, data] });
  return encoded.length === 1 && typeof encoded[0] === 'string' ? encoded[0] : null;
}
