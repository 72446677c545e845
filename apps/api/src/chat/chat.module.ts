/** Owns the socket.io gateway and the RoomEvents implementation other modules publish through. */
import { Global, Module } from '@nestjs/common';
import { JoinModule } from '../join/join.module';
import { MessageModule } from '../message/message.module';
import { RoomEvents } from '../rooms/room-events';
import { ChatGateway } from './chat.gateway';
import { SocketRoomEvents } from './socket-room-events';

@Global()
@Module({
  imports: [JoinModule, MessageModule],
  providers: [ChatGateway, SocketRoomEvents, { provide: RoomEvents, useExisting: SocketRoomEvents }],
  exports: [RoomEvents],
})
export class ChatModule {}
