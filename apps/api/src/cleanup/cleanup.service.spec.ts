import { SchedulerRegistry } from '@nestjs/schedule';
import { serviceFixture } from '../testing/service-fixture';
import { CLEANUP_JOB, CleanupService } from './cleanup.service';

describe('CleanupService', () => {
  function fixture() {
    const f = serviceFixture({ ROOM_IDLE_TIMEOUT_SEC: '60', ROOM_MAX_TTL_SEC: '100' });
    const scheduler = new SchedulerRegistry();
    const cleanup = new CleanupService(f.repo, f.events, f.clock, f.config, scheduler);
    return { ...f, cleanup, scheduler };
  }

  it('closes idle and aged rooms with their reasons and leaves live ones', async () => {
    const { cleanup, creation, joins, messages, events, clock, connection } = fixture();
    const idle = await creation.createRoom();
    const aged = await creation.createRoom();
    const { result } = await joins.join({ roomId: aged.roomId, nick: 'a' }, connection());
    clock.advance(59_000);
    const live = await creation.createRoom();
    await messages.send({ roomId: aged.roomId, userToken: result.userToken, text: 'keep alive' });
    clock.advance(1_000);
    expect(await cleanup.runOnce()).toEqual([{ roomId: idle.roomId, reason: 'idle' }]);
    clock.advance(40_000);
    expect(await cleanup.runOnce()).toEqual([{ roomId: aged.roomId, reason: 'ttl' }]);
    expect(events.ofType('closed').map((e) => [e.roomId, e.reason])).toEqual([
      [idle.roomId, 'idle'],
      [aged.roomId, 'ttl'],
    ]);
    await expect(creation.describeRoom(live.roomId)).resolves.toBeDefined();
  });

  it('registers its interval with the scheduler', () => {
    const { cleanup, scheduler } = fixture();
    cleanup.onApplicationBootstrap();
    expect(scheduler.getIntervals()).toContain(CLEANUP_JOB);
    clearInterval(scheduler.getInterval(CLEANUP_JOB));
  });
});
