/** The scheduled job that deletes expired rooms and tells their members why. */
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { OpsMetrics } from '../observability/ops-metrics';
import { RoomEvents } from '../rooms/room-events';
import { ClosedRoom, RoomRepository } from '../rooms/room-repository';

export const CLEANUP_JOB = 'room-cleanup';

@Injectable()
export class CleanupService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CleanupService.name);
  private running = false;
  private stopped = false;

  constructor(
    private readonly rooms: RoomRepository,
    private readonly events: RoomEvents,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    @Optional() private readonly metrics?: OpsMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const handle = setInterval(() => void this.runOnce(), this.config.cleanupIntervalSec * 1000);
    handle.unref();
    this.scheduler.addInterval(CLEANUP_JOB, handle);
  }

  /** At shutdown, before the store closes: no sweep starts afterwards (the scheduler's own stop comes later). */
  onModuleDestroy(): void {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', CLEANUP_JOB)) this.scheduler.deleteInterval(CLEANUP_JOB);
  }

  /** One sweep; overlapping sweeps are skipped. */
  async runOnce(): Promise<ClosedRoom[]> {
    if (this.running || this.stopped) return [];
    this.running = true;
    try {
      const now = this.clock.now();
      const closed = await this.rooms.takeExpiredRooms(now);
      for (const { roomId, reason } of closed) this.events.roomClosed(roomId, reason);
      this.metrics?.roomsClosed(closed);
      if (closed.length > 0) this.logger.log(`closed ${closed.length} expired room(s)`);
      await this.reapOrphans(now);
      this.metrics?.cleanupRan();
      return closed;
    } catch (error) {
      this.logger.error(`cleanup failed: ${String(error)}`);
      this.metrics?.cleanupFailed();
      return [];
    } finally {
      this.running = false;
    }
  }

  /** Members whose sockets lived on a dead instance go offline. */
  private async reapOrphans(now: number): Promise<void> {
    for (const roomId of await this.rooms.reapOrphanedConnections()) {
      const members = await this.rooms.listMembers(roomId, now).catch(() => undefined);
      if (members) this.events.presenceChanged(roomId, members);
    }
  }
}
