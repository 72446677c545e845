/**
 * Owns JOIN_TIMEOUT_SEC: a socket.io connection that has joined no room by then is closed, so connections that answer
 * pings and never join cannot pile up to the connection caps. One sweep a second over the connections, no timer per
 * connection (idle members stay small). Counted as `tinychat_connections_refused_total{reason="join_timeout"}`.
 */
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Server, Socket } from 'socket.io';
import { AppConfig } from '../config/app-config';
import { OpsMetrics } from '../observability/ops-metrics';

const SWEEP_INTERVAL_MS = 1000;

/** What this keeps on a socket: the instant it must have joined by, until its first join. */
interface JoinDeadlineData {
  joinBy?: number;
}

@Injectable()
export class JoinTimeout implements OnModuleDestroy {
  private sweep?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: OpsMetrics,
  ) {}

  attach(server: Server): void {
    if (this.config.joinTimeoutSec === 0 || this.sweep) return;
    this.sweep = setInterval(() => {
      const now = Date.now();
      for (const socket of server.sockets.sockets.values()) {
        const joinBy = (socket.data as JoinDeadlineData).joinBy;
        if (joinBy === undefined || now < joinBy) continue;
        this.metrics.connectionRefused('join_timeout');
        socket.disconnect(true);
      }
    }, SWEEP_INTERVAL_MS);
    this.sweep.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  /** A new connection: it has JOIN_TIMEOUT_SEC to join a room. */
  connected(socket: Socket): void {
    if (this.config.joinTimeoutSec > 0)
      (socket.data as JoinDeadlineData).joinBy = Date.now() + this.config.joinTimeoutSec * 1000;
  }

  /** The connection joined a room: no deadline any more. */
  joined(socket: Socket): void {
    (socket.data as JoinDeadlineData).joinBy = undefined;
  }
}
