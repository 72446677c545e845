/** Graceful shutdown: stop taking new work, tell clients to move, let in-flight acks go out, then let go of sockets. */
import { Injectable, Logger } from '@nestjs/common';
import type { ErrorCode } from '@tiny-chat/shared-types';
import { OpsMetrics } from '../observability/ops-metrics';
import { SocketObserver } from '../chat/socket-observer';
import { ConnectionGuard } from '../limits/connection-guard';

/**
 * Packets a client sent before it heard server:restarting still arrive for about a round trip: keep answering
 * them this long, then answer new events SHUTTING_DOWN at once (not in flight) so what is in flight can finish.
 */
const SETTLE_MS = 250;
/** Presence updates for the sockets we close are store writes: give them a moment before the store goes. */
const DISCONNECT_SETTLE_MS = 300;

/** The message of the connect_error a handshake gets while draining. */
const SHUTTING_DOWN: ErrorCode = 'SHUTTING_DOWN';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The delay each client waits before reconnecting: spread so the survivors do not take every reconnect at once. */
export function reconnectDelayMs(graceMs: number, random: () => number = Math.random): number {
  return Math.round(250 + random() * Math.min(3000, graceMs / 2));
}

@Injectable()
export class DrainService {
  private readonly logger = new Logger(DrainService.name);
  private started?: Promise<void>;

  constructor(
    private readonly observer: SocketObserver,
    private readonly metrics: OpsMetrics,
    private readonly connections: ConnectionGuard,
  ) {}

  /** True from the first signal on: readiness fails and new work is refused. */
  get draining(): boolean {
    return this.started !== undefined;
  }

  /**
   * Runs once (later calls share the first run). Resolves when every connection on this instance is closed and
   * nothing is in flight, or at `deadline` (epoch ms) at the latest.
   */
  drain(deadline: number): Promise<void> {
    this.started ??= this.run(deadline);
    return this.started;
  }

  private async run(deadline: number): Promise<void> {
    this.metrics.drainStarted();
    // Connections that never sent a request would hold the close up until the grace runs out.
    this.connections.closeNeverUsed();
    const server = this.observer.server;
    const sockets = server ? [...server.sockets.sockets.values()] : [];
    this.logger.log({ msg: 'draining', connections: sockets.length, inFlight: this.observer.pending });
    if (!server) return;
    // A socket.io middleware, not an engine.io one: the client's connect_error then says why ('SHUTTING_DOWN'), and
    // the requests of sessions already open (long-polling included) are not touched.
    server.use((_socket, next) => next(new Error(SHUTTING_DOWN)));
    const graceMs = deadline - Date.now();
    for (const socket of sockets) socket.emit('server:restarting', { reconnectAfterMs: reconnectDelayMs(graceMs) });
    await sleep(Math.min(SETTLE_MS, deadline - Date.now()));
    this.observer.stopAdmitting();
    const idle = await this.observer.whenIdle(deadline - Date.now());
    server.local.disconnectSockets(true);
    await sleep(Math.min(DISCONNECT_SETTLE_MS, deadline - Date.now()));
    const idleAfter = await this.observer.whenIdle(deadline - Date.now());
    this.connections.closeAll();
    if (!idle || !idleAfter)
      this.logger.warn({ msg: 'drain deadline reached with work in flight', inFlight: this.observer.pending });
    else this.logger.log({ msg: 'drained' });
  }
}
