import { InMemoryRoomRepository } from './in-memory-room-repository';
import { describeRoomRepositoryContract } from './room-repository.contract';

describeRoomRepositoryContract('in memory', async () => new InMemoryRoomRepository());
