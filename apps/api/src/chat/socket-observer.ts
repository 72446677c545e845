/** Watches the socket.io server from the side: connection logs, per-event outcomes and ack latency, deliveries, in-flight work. */
import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { type Ack, CLIENT_EVENTS, isClientEvent } from '@tiny-chat/shared-types';
import type { ChatTraffic } from './chat-io.adapter';
import type { ChatServer, ChatSocket } from './socket-room-events';
import { ShuttingDownError } from '../common/domain-errors';
import { toAckError } from '../common/error-mapping';
import { AppConfig } from '../config/app-config';
import { RoomRepository } from '../rooms/room-repository';
import { OpsMetrics, Outcome } from '../observability/ops-metrics';

type AnyAck = (response: unknown) => void;

const SHUTTING_DOWN_ACK: Ack<never> = { ok: false, error: toAckError(new ShuttingDownError()) };

function outcomeOf(response: unknown): Outcome {
  if (typeof response === 'object' && response !== null) {
    const r = response as { ok?: unknown; error?: { code?: unknown } };
    if (r.ok === true) return 'ok';
    if (typeof r.error?.code === 'string') return r.error.code as Outcome;
  }
  return 'INTERNAL';
}

function roomIdOf(payload: unknown): string | undefined {
  const roomId = (payload as { roomId?: unknown } | null | undefined)?.roomId;
  return typeof roomId === 'string' ? roomId : undefined;
}

@Injectable()
export class SocketObserver implements ChatTraffic {
  private readonly logger = new Logger('Socket');
  private attached?: ChatServer;
  private inFlight = 0;
  private admitting = true;
  private idleWaiters: Array<() => void> = [];

  /** Per-event debug lines cost an object and a logger call per message: built only when LOG_LEVEL asks for them. */
  private readonly debugLines: boolean;

  constructor(
    private readonly metrics: OpsMetrics,
    private readonly rooms: RoomRepository,
    config: AppConfig,
  ) {
    this.debugLines = config.logLevel === 'debug' || config.logLevel === 'trace';
  }

  /** The gateway's server, once attached. */
  get server(): ChatServer | undefined {
    return this.attached;
  }

  /** Client events received and not yet acknowledged on this instance. */
  get pending(): number {
    return this.inFlight;
  }

  attach(server: ChatServer): void {
    this.attached = server;
    server.on('connection', (socket: ChatSocket) => this.observe(socket));
    // The relay emits each stored message to the room's sockets on this instance: count them.
    this.rooms.onMessageStored((message) => {
      this.metrics.messageDelivered(server.sockets.adapter.rooms.get(message.roomId)?.size ?? 0);
    });
  }

  /**
   * From now on client events are answered SHUTTING_DOWN at once, without running (the drain's cut-off, so in-flight
   * work can reach zero): their senders send again after reconnecting to another instance, idempotently by clientMsgId.
   */
  stopAdmitting(): void {
    this.admitting = false;
  }

  /** Resolves true once nothing is in flight, or false when `timeoutMs` passes first. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
          resolve(false);
        },
        Math.max(0, timeoutMs),
      );
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(done);
    });
  }

  private observe(socket: ChatSocket): void {
    this.metrics.connectionOpened();
    this.logger.log({
      msg: 'socket connected',
      conn: socket.id,
      ip: socket.handshake.address,
      transport: socket.conn.transport.name,
    });
    socket.on('disconnect', this.closed);
  }

  /** One listener shared by every socket (`this` is the socket), not a closure per connected member. */
  private readonly closed = ((observer: SocketObserver) =>
    function (this: ChatSocket, reason: string): void {
      observer.metrics.connectionClosed();
      observer.logger.log({ msg: 'socket disconnected', conn: this.id, reason });
    })(this);

  /**
   * ChatTraffic, called by the socket.io adapter before each client event's handler: after the drain's cut-off,
   * false (the handler does not run) once the ack, if any, is answered SHUTTING_DOWN; for a known event with an ack,
   * wraps the ack so that it measures, counts and logs the answer.
   */
  admit(socket: ChatSocket, event: unknown, args: unknown[]): boolean {
    const last = args.length - 1;
    const ack = args[last];
    if (!this.admitting) {
      if (typeof ack === 'function') this.refuse(event, ack as AnyAck);
      return false;
    }
    if (!isClientEvent(event) || typeof ack !== 'function') return true;
    const conn = socket.id;
    const roomId = roomIdOf(args[0]);
    const started = performance.now();
    let answered = false;
    this.inFlight++;
    args[last] = (response: unknown) => {
      if (!answered) {
        answered = true;
        this.answered(conn, event, roomId, response, (performance.now() - started) / 1000);
      }
      (ack as AnyAck)(response);
    };
    return true;
  }

  /** Answered at once and never in flight; counted with its outcome like any answer to a known event. */
  private refuse(event: unknown, ack: AnyAck): void {
    if (isClientEvent(event)) this.metrics.chatEventAnswered(event, 'SHUTTING_DOWN', 0);
    ack(SHUTTING_DOWN_ACK);
  }

  private answered(conn: string, event: string, roomId: string | undefined, response: unknown, seconds: number): void {
    const outcome = outcomeOf(response);
    this.metrics.chatEventAnswered(event, outcome, seconds);
    // A room id is logged only once the server accepted it (no echo of arbitrary input); never tokens, nicks or text.
    if (outcome === 'ok' && event === CLIENT_EVENTS.join) this.logger.log({ msg: 'room joined', conn, roomId });
    else if (outcome === 'ok' && event === CLIENT_EVENTS.leave) this.logger.log({ msg: 'room left', conn, roomId });
    else if (this.debugLines && outcome !== 'ok') this.logger.debug({ msg: `${event} refused`, conn, code: outcome });
    else if (this.debugLines)
      this.logger.debug({ msg: `${event} answered`, conn, roomId, ms: Math.round(seconds * 1000) });
    this.inFlight--;
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }
}
