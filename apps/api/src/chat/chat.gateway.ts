/** The socket.io edge: shape validation, ack mapping and socket bookkeeping; the services decide. */
import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  Ack,
  CLIENT_EVENTS,
  JoinResult,
  LeaveResult,
  ListMessagesResult,
  SendMessageResult,
  SESSION_COOKIE,
  TouchResult,
  TypingResult,
} from '@tiny-chat/shared-types';
import { Sessions } from '../auth/sessions';
import { AuthRequiredError } from '../common/domain-errors';
import { parsePayload } from '../common/parse-payload';
import { AppConfig } from '../config/app-config';
import { JoinService, RoomConnection } from '../join/join.service';
import { JoinTimeout } from '../limits/join-timeout';
import { OutputBackpressure } from '../limits/output-backpressure';
import { RateLimits } from '../limits/rate-limits';
import { MessageService } from '../message/message.service';
import { SocketObserver } from './socket-observer';
import { respond } from './ack';
import {
  joinRequestSchema,
  leaveRequestSchema,
  listMessagesRequestSchema,
  sendMessageRequestSchema,
  touchRequestSchema,
  typingRequestSchema,
} from './chat-schemas';
import { memberIn, membershipEntries, NO_MEMBERSHIPS, withMembership, withoutMembership } from './memberships';
import { ChatServer, ChatSocket, memberChannel, SocketRoomEvents } from './socket-room-events';

/** Server options (origins, frame size, no deflate) come from ChatIoAdapter. */
@WebSocketGateway()
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(ChatGateway.name);

  constructor(
    private readonly joins: JoinService,
    private readonly messages: MessageService,
    private readonly events: SocketRoomEvents,
    private readonly limits: RateLimits,
    private readonly observer: SocketObserver,
    private readonly backpressure: OutputBackpressure,
    private readonly joinTimeout: JoinTimeout,
    private readonly sessions: Sessions,
    private readonly config: AppConfig,
  ) {}

  afterInit(server: ChatServer): void {
    this.events.attach(server);
    this.observer.attach(server);
    this.backpressure.attach(server);
    this.joinTimeout.attach(server);
    const auth = this.config.auth;
    if (auth.mode === 'oidc' && auth.roomsRequireLogin) {
      // Middleware runs before 'connection', while the handshake request and its cookie header are still there.
      server.use((socket, next) => {
        socket.data.sessionId = this.sessions.signedCookie(socket.request, SESSION_COOKIE);
        next();
      });
    }
  }

  handleConnection(socket: ChatSocket): void {
    // Events no handler knows are answered by ChatIoAdapter.
    socket.data.memberships = NO_MEMBERSHIPS;
    this.joinTimeout.connected(socket);
  }

  async handleDisconnect(socket: ChatSocket): Promise<void> {
    for (const [roomId, memberId] of membershipEntries(socket.data.memberships ?? NO_MEMBERSHIPS)) {
      await this.joins.disconnect(roomId, memberId, socket.id).catch((error: unknown) => {
        this.logger.error(`presence update failed: ${String(error)}`);
      });
    }
  }

  @SubscribeMessage(CLIENT_EVENTS.join)
  onJoin(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<Ack<JoinResult>> {
    return respond(async () => {
      await this.limits.join(socket.id, socket.data.clientIp ?? socket.handshake.address);
      const request = parsePayload(joinRequestSchema, payload);
      await this.requireLoginIfConfigured(socket);
      const { result } = await this.joins.join(request, this.connectionOf(socket));
      this.joinTimeout.joined(socket);
      return result;
    });
  }

  @SubscribeMessage(CLIENT_EVENTS.send)
  onSend(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<Ack<SendMessageResult>> {
    const clientIp = socket.data.clientIp ?? socket.handshake.address;
    return respond(() => this.messages.send(parsePayload(sendMessageRequestSchema, payload), clientIp));
  }

  @SubscribeMessage(CLIENT_EVENTS.list)
  onList(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<Ack<ListMessagesResult>> {
    // A connection that does not read what it has asked for gets no more to hold.
    return respond(() =>
      this.backpressure.admitList(socket, () => this.messages.list(parsePayload(listMessagesRequestSchema, payload))),
    );
  }

  @SubscribeMessage(CLIENT_EVENTS.touch)
  onTouch(@MessageBody() payload: unknown): Promise<Ack<TouchResult>> {
    return respond(() => this.joins.touch(parsePayload(touchRequestSchema, payload)));
  }

  @SubscribeMessage(CLIENT_EVENTS.typing)
  onTyping(@MessageBody() payload: unknown): Promise<Ack<TypingResult>> {
    return respond(() => this.joins.typing(parsePayload(typingRequestSchema, payload)));
  }

  @SubscribeMessage(CLIENT_EVENTS.leave)
  onLeave(@ConnectedSocket() socket: ChatSocket, @MessageBody() payload: unknown): Promise<Ack<LeaveResult>> {
    return respond(async () => {
      const request = parsePayload(leaveRequestSchema, payload);
      const memberId = await this.joins.leave(request);
      if (memberIn(socket.data.memberships, request.roomId) === memberId) {
        socket.data.memberships = withoutMembership(socket.data.memberships, request.roomId);
      }
      return {};
    });
  }

  /**
   * ROOMS_REQUIRE_LOGIN: every join needs a live session, named by the cookie the browser sent with the socket.io
   * handshake (same origin, so the SameSite=Lax cookie goes along). Looked up per join: a sign-out counts at once.
   */
  private async requireLoginIfConfigured(socket: ChatSocket): Promise<void> {
    const auth = this.config.auth;
    if (auth.mode !== 'oidc' || !auth.roomsRequireLogin) return;
    if (!(await this.sessions.userOfSession(socket.data.sessionId))) throw new AuthRequiredError();
  }

  /** The socket as one join sees it (made per room:join). */
  private connectionOf(socket: ChatSocket): RoomConnection {
    let inRoom = false;
    return {
      id: socket.id,
      // Heard before joined: from the ack on, every message of the room reaches this socket.
      hear: (roomId) => this.events.listen(roomId),
      unhear: (roomId) => {
        if (!inRoom) this.events.unlisten(roomId);
      },
      subscribe: async (roomId, memberId) => {
        const previous = memberIn(socket.data.memberships, roomId);
        if (previous !== undefined && previous !== memberId) {
          // This socket switches identity in the room: the old member loses this connection.
          await socket.leave(memberChannel(previous));
          await this.joins.disconnect(roomId, previous, socket.id);
        }
        socket.data.memberships = withMembership(socket.data.memberships, roomId, memberId);
        await socket.join([roomId, memberChannel(memberId)]);
        inRoom = true;
        this.events.joined(roomId);
      },
    };
  }
}
