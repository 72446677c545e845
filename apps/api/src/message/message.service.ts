/** send_message and get_messages: validation, the room's single order, history. */
import { Injectable } from '@nestjs/common';
import type {
  ListMessagesRequest,
  ListMessagesResult,
  SendMessageRequest,
  SendMessageResult,
} from '@tiny-chat/shared-types';
import { Clock } from '../common/clock';
import { TextKindError } from '../common/domain-errors';
import { judgeText } from '../common/text-rules';
import { AppConfig } from '../config/app-config';
import { RateLimits } from '../limits/rate-limits';
import { assertRoomId, hashToken } from '../rooms/room-id';
import { RoomRepository } from '../rooms/room-repository';
import { boundedPage } from './message-pages';

@Injectable()
export class MessageService {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly limits: RateLimits,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** `clientIp`: the sender's address, for the per-address budget (none for callers without one). */
  async send(request: SendMessageRequest, clientIp?: string): Promise<SendMessageResult> {
    assertRoomId(request.roomId);
    // Valid as a plain text, an envelope, or both: the room's kind decides, in the store's append step.
    const verdict = judgeText(request.text, this.config.maxMessageLength);
    if (verdict.plainError && verdict.envelopeError) throw verdict.plainError;
    const now = this.clock.now();
    // One token belongs to one member: its hash keys the member's message budget, and the store
    // authenticates it in the same step that appends (one round trip to Redis, not two).
    const tokenHash = hashToken(request.userToken);
    const limited = this.limits.message(tokenHash, clientIp);
    if (limited) await limited;
    // Delivery to members goes through RoomRepository.onMessageStored, in the store's order.
    try {
      const { message, epoch } = await this.rooms.appendMessage(
        request.roomId,
        {
          tokenHash,
          text: request.text,
          clientMsgId: request.clientMsgId,
          sentAt: now,
          plain: verdict.plainError === null,
          envelope: verdict.envelopeError === null,
        },
        { historyLimit: this.config.historyLimit, idleExpiresAt: now + this.config.idleTimeoutMs },
        now,
      );
      return { message, epoch };
    } catch (error) {
      if (!(error instanceof TextKindError)) throw error;
      throw error.encrypted ? (verdict.envelopeError?.() ?? error) : (verdict.plainError ?? error);
    }
  }

  async list(request: ListMessagesRequest): Promise<ListMessagesResult> {
    assertRoomId(request.roomId);
    const tokenHash = hashToken(request.userToken);
    await this.limits.list(tokenHash);
    const now = this.clock.now();
    await this.rooms.authenticate(request.roomId, tokenHash, now);
    const { messages, truncated, epoch } = await this.rooms.listMessages(request.roomId, request.afterId, now);
    return { ...boundedPage(messages, this.config.listMaxBytes), truncated, epoch };
  }
}
