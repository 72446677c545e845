/** Shape checks for every client event payload: strict (extra fields rejected), typed by the shared contract. */
import type {
  JoinRequest,
  LeaveRequest,
  ListMessagesRequest,
  SendMessageRequest,
  TouchRequest,
  TypingRequest,
} from '@tiny-chat/shared-types';
import { z } from 'zod';

const roomId = z.string();
const userToken = z.string();

export const joinRequestSchema: z.ZodType<JoinRequest> = z.union([
  z.strictObject({ roomId, nick: z.string() }),
  z.strictObject({ roomId, userToken }),
]);

export const sendMessageRequestSchema: z.ZodType<SendMessageRequest> = z.strictObject({
  roomId,
  userToken,
  text: z.string(),
  clientMsgId: z.string().min(1).max(100).optional(),
});

export const listMessagesRequestSchema: z.ZodType<ListMessagesRequest> = z.strictObject({
  roomId,
  userToken,
  afterId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

export const leaveRequestSchema: z.ZodType<LeaveRequest> = z.strictObject({ roomId, userToken });

export const touchRequestSchema: z.ZodType<TouchRequest> = z.strictObject({ roomId, userToken });

export const typingRequestSchema: z.ZodType<TypingRequest> = z.strictObject({ roomId, userToken });
