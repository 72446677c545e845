/** Owns the RoomRepository port and binds the configured implementation. */
import { Global, Module } from '@nestjs/common';
import { InMemoryRoomRepository } from './in-memory-room-repository';
import { RoomRepository } from './room-repository';

@Global()
@Module({
  providers: [{ provide: RoomRepository, useClass: InMemoryRoomRepository }],
  exports: [RoomRepository],
})
export class RoomsModule {}
