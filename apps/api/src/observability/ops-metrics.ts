/** Owns the Prometheus metrics of one instance: its own Registry, the counters the edges bump, the store gauges read at scrape time. */
import { Injectable } from '@nestjs/common';
import type { ErrorCode, RoomClosedReason } from '@tiny-chat/shared-types';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AppConfig } from '../config/app-config';

/** An ack's outcome as a label: `ok` or the error code. */
export type Outcome = 'ok' | ErrorCode;

const PREFIX = 'tinychat_';

/** Why a connection was refused or closed before it did anything useful. */
export type ConnectionRefusal = 'per_ip' | 'total' | 'first_byte_timeout' | 'join_timeout';

/** A metric's labelled child from `children`, made by `make` the first time `key` is asked for. */
function labelledOnce<T>(children: Map<string, T>, key: string, make: () => T): T {
  let child = children.get(key);
  if (child === undefined) {
    child = make();
    children.set(key, child);
  }
  return child;
}

@Injectable()
export class OpsMetrics {
  readonly registry = new Registry();

  private readonly storeUp = this.gauge(
    'store_up',
    'Whether the room store answered this scrape (1) or not (0); rooms_live and members_joined are stale while 0.',
  );
  private readonly roomsLive = this.gauge(
    'rooms_live',
    'Live rooms in the store (all instances), read at scrape time.',
  );
  private readonly membersJoined = this.gauge(
    'members_joined',
    'Members of live rooms in the store (all instances, online or not), read at scrape time.',
  );
  private readonly subscribedRooms = this.gauge(
    'redis_subscribed_rooms',
    'Rooms whose shard channel this instance subscribes to (STORE=redis): rooms with local members, plus those left less than 30 s ago.',
  );
  private readonly pubsubReceived = new Counter({
    name: `${PREFIX}redis_pubsub_received_total`,
    help: 'Messages and room signals this instance received on room shard channels (STORE=redis).',
    registers: [this.registry],
  });
  private pubsubReceivedSeen = 0;
  private readonly connections = this.gauge('connections', 'Open socket.io connections on this instance.');
  private readonly draining = this.gauge('draining', 'Whether this instance is shutting down (1) or serving (0).');

  private readonly chatEvents = new Counter({
    name: `${PREFIX}chat_events_total`,
    help: 'Client events answered by this instance, by event and outcome (ok or the error code).',
    labelNames: ['event', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly accepted = new Counter({
    name: `${PREFIX}messages_accepted_total`,
    help: 'message:send acknowledged with ok by this instance (idempotent resends included).',
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: `${PREFIX}messages_rejected_total`,
    help: 'message:send acknowledged with an error by this instance, by error code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: `${PREFIX}message_deliveries_total`,
    help: 'message:new emitted to sockets on this instance (one per message and recipient socket).',
    registers: [this.registry],
  });
  private readonly ackSeconds = new Histogram({
    name: `${PREFIX}message_send_ack_seconds`,
    help: 'Time from receiving message:send to sending its ack, on this instance.',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly ackOk = this.ackSeconds.labels({ outcome: 'ok' });
  private readonly ackError = this.ackSeconds.labels({ outcome: 'error' });
  private readonly eventCounters = new Map<string, ReturnType<OpsMetrics['chatEvents']['labels']>>();
  private readonly cleanupRuns = new Counter({
    name: `${PREFIX}cleanup_runs_total`,
    help: 'Cleanup sweeps run by this instance, by result (ok or error).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly closedRooms = new Counter({
    name: `${PREFIX}rooms_closed_total`,
    help: 'Rooms this instance closed and announced with room:closed, by reason (idle, ttl, or closed by its owner).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly redisSeconds = new Histogram({
    name: `${PREFIX}redis_command_duration_seconds`,
    help: 'Latency of the room store commands and scripts on Redis (STORE=redis), by command.',
    labelNames: ['command'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [this.registry],
  });
  /** Labelled children looked up once per command name: one observation per store command (every message). */
  private readonly redisHistograms = new Map<string, ReturnType<OpsMetrics['redisSeconds']['labels']>>();
  private readonly redisErrors = new Counter({
    name: `${PREFIX}redis_command_errors_total`,
    help: 'Room store commands on Redis that failed (connection lost, timeout, Redis error), by command.',
    labelNames: ['command'] as const,
    registers: [this.registry],
  });

  private readonly refusedConnections = new Counter({
    name: `${PREFIX}connections_refused_total`,
    help: 'TCP connections refused or closed early by this instance, by reason (per_ip, total, first_byte_timeout, join_timeout).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor(config: AppConfig) {
    collectDefaultMetrics({ register: this.registry });
    this.registry.setDefaultLabels({ store: config.store });
    this.draining.set(0);
    this.connections.set(0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * The exposition text, with the store gauges set from `counts`. Null means the store did not answer:
   * store_up drops to 0 and rooms/members keep their last known values (unknown is not zero).
   */
  render(
    counts: { rooms: number; members: number } | null,
    listening: { rooms: number; received: number } = { rooms: 0, received: 0 },
  ): Promise<string> {
    this.subscribedRooms.set(listening.rooms);
    this.pubsubReceived.inc(Math.max(0, listening.received - this.pubsubReceivedSeen));
    this.pubsubReceivedSeen = Math.max(this.pubsubReceivedSeen, listening.received);
    this.storeUp.set(counts ? 1 : 0);
    if (counts) {
      this.roomsLive.set(counts.rooms);
      this.membersJoined.set(counts.members);
    }
    return this.registry.metrics();
  }

  connectionOpened(): void {
    this.connections.inc();
  }

  connectionClosed(): void {
    this.connections.dec();
  }

  connectionRefused(reason: ConnectionRefusal): void {
    this.refusedConnections.inc({ reason });
  }

  chatEventAnswered(event: string, outcome: Outcome, seconds: number): void {
    this.eventCounter(event, outcome).inc();
    if (event !== 'message:send') return;
    if (outcome === 'ok') {
      this.ackOk.observe(seconds);
      this.accepted.inc();
    } else {
      this.ackError.observe(seconds);
      this.rejected.inc({ code: outcome });
    }
  }

  /** Labelled children are looked up once: this runs for every acknowledged event. */
  private eventCounter(event: string, outcome: Outcome) {
    return labelledOnce(this.eventCounters, `${event}|${outcome}`, () => this.chatEvents.labels({ event, outcome }));
  }

  messageDelivered(recipients: number): void {
    if (recipients > 0) this.deliveries.inc(recipients);
  }

  roomsClosed(closed: ReadonlyArray<{ reason: RoomClosedReason }>): void {
    for (const { reason } of closed) this.closedRooms.inc({ reason });
  }

  cleanupRan(): void {
    this.cleanupRuns.inc({ result: 'ok' });
  }

  cleanupFailed(): void {
    this.cleanupRuns.inc({ result: 'error' });
  }

  redisCommand(command: string, seconds: number, failed: boolean): void {
    labelledOnce(this.redisHistograms, command, () => this.redisSeconds.labels({ command })).observe(seconds);
    if (failed) this.redisErrors.inc({ command });
  }

  drainStarted(): void {
    this.draining.set(1);
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name: `${PREFIX}${name}`, help, registers: [this.registry] });
  }
}
