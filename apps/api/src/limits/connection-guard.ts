/**
 * Owns the TCP connection caps and the first-byte timer: per client address and in total, counted on the HTTP
 * server's public `connection` event, so a long-polling session on a keep-alive connection counts once and a
 * WebSocket counts as the connection it was upgraded from. Works the same with FAST_PATHS on or off.
 */
import { Injectable, Logger } from '@nestjs/common';
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { AppConfig } from '../config/app-config';
import { type ConnectionRefusal, OpsMetrics } from '../observability/ops-metrics';

/**
 * A connection that has sent no byte by then is closed: Node 20's headersTimeout does not see one that never sends a
 * byte (and closeIdleConnections() does not count it as idle). From its first byte on, headersTimeout applies.
 */
export const FIRST_BYTE_TIMEOUT_MS = 10_000;
/** HTTP timeouts: headers within 10 s, a whole request within 30 s, keep-alive connections idle for 5 s at most. */
export const HTTP_TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 } as const;
/** A refused address is logged at most once per this long. */
const LOG_EVERY_MS = 60_000;

@Injectable()
export class ConnectionGuard {
  private readonly logger = new Logger(ConnectionGuard.name);
  private readonly perAddress = new Map<string, number>();
  private open = 0;
  /** Connections that have not sent a byte yet, with the timer that closes them. */
  private readonly awaitingFirstByte = new Map<Socket, NodeJS.Timeout>();
  private readonly lastLogged = new Map<string, number>();
  private server?: HttpServer;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: OpsMetrics,
  ) {}

  /** Applies the caps and timeouts to the app's HTTP server (before it listens). */
  attach(server: HttpServer): void {
    this.server = server;
    Object.assign(server, HTTP_TIMEOUTS);
    server.on('connection', (socket: Socket) => this.admit(socket));
  }

  /** Open TCP connections from this address (for tests and metrics). */
  connectionsFrom(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  /**
   * Shutting down: connections that never sent a byte close at once. Idle keep-alive connections stay until
   * the end of the drain (`closeAll`): a long-polling session opened before the drain still polls on them.
   */
  closeNeverUsed(): void {
    for (const socket of this.awaitingFirstByte.keys()) socket.destroy();
  }

  /** End of the drain: idle keep-alive connections and requests still being received (slow bodies) are closed. */
  closeAll(): void {
    this.server?.closeAllConnections();
  }

  private admit(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    const fromAddress = this.connectionsFrom(address);
    if (this.open >= this.config.maxConnections) return this.refuse(socket, address, 'total');
    if (this.config.maxConnectionsPerIp > 0 && fromAddress >= this.config.maxConnectionsPerIp) {
      return this.refuse(socket, address, 'per_ip');
    }
    this.open++;
    this.perAddress.set(address, fromAddress + 1);
    const timer = setTimeout(() => {
      this.metrics.connectionRefused('first_byte_timeout');
      socket.destroy();
    }, FIRST_BYTE_TIMEOUT_MS);
    timer.unref();
    this.awaitingFirstByte.set(socket, timer);
    // The socket's own first chunk, not the server's 'request' event: engine.io takes over 'request' for its path.
    // Shared listeners (`this` is the socket), not closures or once-wrappers: this stays on every idle connection
    // for its whole life, so it is kept to two array slots.
    socket.on('data', this.onFirstData);
    socket.on('close', this.onClose);
  }

  private readonly onFirstData = ((guard: ConnectionGuard) =>
    function (this: Socket): void {
      this.removeListener('data', guard.onFirstData);
      guard.firstByteArrived(this);
    })(this);

  private readonly onClose = ((guard: ConnectionGuard) =>
    function (this: Socket): void {
      this.removeListener('data', guard.onFirstData);
      guard.firstByteArrived(this);
      guard.open--;
      // remoteAddress was read at admission, so the socket still knows it after the close.
      const address = this.remoteAddress ?? '';
      const left = guard.connectionsFrom(address) - 1;
      if (left > 0) guard.perAddress.set(address, left);
      else guard.perAddress.delete(address);
    })(this);

  private firstByteArrived(socket: Socket): void {
    const timer = this.awaitingFirstByte.get(socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.awaitingFirstByte.delete(socket);
  }

  private refuse(socket: Socket, address: string, reason: ConnectionRefusal): void {
    socket.destroy();
    this.metrics.connectionRefused(reason);
    const now = Date.now();
    if (now - (this.lastLogged.get(address) ?? -Infinity) < LOG_EVERY_MS) return;
    if (this.lastLogged.size > 10_000) this.forgetOldLogs(now);
    this.lastLogged.set(address, now);
    this.logger.warn({ msg: 'connection refused', address, reason });
  }

  private forgetOldLogs(now: number): void {
    for (const [address, at] of this.lastLogged) if (now - at >= LOG_EVERY_MS) this.lastLogged.delete(address);
  }
}
