/** Real services over the in-memory repository with a fake clock, for unit tests. */
import { FakeClock } from '../common/clock';
import { AppConfig, loadConfig } from '../config/app-config';
import { CreationService } from '../creation/creation.service';
import { JoinService, RoomConnection } from '../join/join.service';
import { RateLimits } from '../limits/rate-limits';
import { FastPaths } from '../transport/fast-paths/fast-paths';
import { MessageService } from '../message/message.service';
import { InMemoryRoomRepository } from '../rooms/in-memory-room-repository';
import { RecordingRoomEvents } from './recording-room-events';

export function serviceFixture(env: Record<string, string> = {}) {
  const config: AppConfig = loadConfig({ RATE_MESSAGES_PER_SEC: '0', ...env });
  const clock = new FakeClock();
  const repo = new InMemoryRoomRepository();
  const events = new RecordingRoomEvents();
  const creation = new CreationService(repo, clock, config, events);
  const joins = new JoinService(repo, events, clock, config);
  const limits = new RateLimits(config, new FastPaths(config.fastPaths));
  const messages = new MessageService(repo, limits, clock, config);
  repo.onMessageStored((message) => events.messageAdded(message));
  let nextConnection = 0;
  const connection = (): RoomConnection & { subscribed: string[] } => {
    const subscribed: string[] = [];
    return { id: `conn-${++nextConnection}`, subscribed, subscribe: (roomId) => void subscribed.push(roomId) };
  };
  return { config, clock, repo, events, creation, joins, messages, connection };
}
