/** Owns the socket.io gateway and the RoomEvents implementation other modules publish through. */
import { Global, Module } from '@nestjs/common';
import { JoinModule } from '../join/join.module';
import { MessageModule } from '../message/message.module';
import { RoomEvents } from '../rooms/room-events';
import { ChatGateway } from './chat.gateway';
import { SocketObserver } from './socket-observer';
import { SocketRoomEvents } from './socket-room-events';

@Global()
@Module({
  imports: [JoinModule, MessageModule],
  providers: [ChatGateway, SocketRoomEvents, SocketObserver, { provide: RoomEvents, useExisting: SocketRoomEvents }],
  exports: [RoomEvents, SocketObserver],
})
export class ChatModule {}
