/**
 * Owns the bound on what one connection may have queued for sending. A client that asks for much and reads nothing
 * (or reads slowly) would otherwise make the server hold its replies and live deliveries until memory runs out. Its
 * unsent output is engine.io's write buffer (packets waiting for the transport) plus the TCP socket's `writableLength`
 * (bytes Node holds for the kernel). Above MAX_CONNECTION_BUFFER_BYTES it gets no new `message:list` work; above 4x
 * it is disconnected, by the `message:list` that finds it so or by a sweep once a second (live deliveries). Works the
 * same with FAST_PATHS on or off: the TCP socket is taken from the handshake request before the fast paths let it go.
 */
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Socket as TcpSocket } from 'node:net';
import type { Server, Socket } from 'socket.io';
import { RateLimitedError } from '../common/domain-errors';
import { AppConfig } from '../config/app-config';

/** A connection over its bound is disconnected above this many times the bound. */
export const DISCONNECT_FACTOR = 4;
/** How often every connection is checked, and the wait a refused `message:list` is told to take. */
export const SWEEP_INTERVAL_MS = 1000;

/** engine.io socket -> the TCP socket it writes to (kept weakly: gone with the connection). */
const tcpSockets = new WeakMap<object, TcpSocket>();

/** Call on `connection`, before the handshake request may be released (see connection-memory.ts). */
export function rememberTcpSocket(socket: Socket): void {
  const tcp = (socket.request as { socket?: TcpSocket } | undefined)?.socket;
  if (tcp) tcpSockets.set(socket.conn, tcp);
}

/** Bytes this connection has queued and not yet handed to the kernel. */
export function unsentBytes(socket: Socket): number {
  let bytes = tcpSockets.get(socket.conn)?.writableLength ?? 0;
  const queued = (socket.conn as unknown as { writeBuffer?: unknown }).writeBuffer;
  if (Array.isArray(queued)) {
    for (const packet of queued as Array<{ data?: unknown }>) {
      const data = packet.data;
      if (typeof data === 'string') bytes += Buffer.byteLength(data);
      else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
    }
  }
  return bytes;
}

@Injectable()
export class OutputBackpressure implements OnModuleDestroy {
  private sweep?: NodeJS.Timeout;
  /** message:list requests admitted and not yet answered, per connection. */
  private readonly listsInFlight = new WeakMap<Socket, number>();

  constructor(private readonly config: AppConfig) {}

  /** Starts the once-a-second sweep over the server's connections (nothing when the bound is off). */
  attach(server: Server): void {
    if (this.config.maxConnectionBufferBytes === 0 || this.sweep) return;
    this.sweep = setInterval(() => {
      for (const socket of server.sockets.sockets.values()) this.disconnectIfOver(socket);
    }, SWEEP_INTERVAL_MS);
    this.sweep.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  /**
   * Runs `work` (a message:list) unless the connection already has more than its bound queued, counting the replies
   * still being prepared at LIST_MAX_BYTES each (requests sent together all arrive before the first reply is queued);
   * RateLimitedError otherwise, and disconnected above 4x.
   */
  async admitList<T>(socket: Socket, work: () => Promise<T>): Promise<T> {
    const max = this.config.maxConnectionBufferBytes;
    if (max === 0) return work();
    const inFlight = this.listsInFlight.get(socket) ?? 0;
    const unsent = unsentBytes(socket);
    if (unsent + inFlight * (this.config.listMaxBytes || max) > max) {
      this.disconnectIfOver(socket, unsent);
      throw new RateLimitedError(SWEEP_INTERVAL_MS);
    }
    this.listsInFlight.set(socket, inFlight + 1);
    try {
      return await work();
    } finally {
      const left = (this.listsInFlight.get(socket) ?? 1) - 1;
      if (left > 0) this.listsInFlight.set(socket, left);
      else this.listsInFlight.delete(socket);
    }
  }

  private disconnectIfOver(socket: Socket, unsent = unsentBytes(socket)): void {
    if (unsent <= DISCONNECT_FACTOR * this.config.maxConnectionBufferBytes) return;
    const tcp = tcpSockets.get(socket.conn);
    socket.disconnect(true);
    // A close handshake would queue behind what the client does not read: the TCP socket goes now, and its buffers.
    tcp?.destroy();
  }
}
