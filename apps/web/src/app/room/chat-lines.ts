/** What the message list shows: stored messages by id, then our own messages still on their way. */
import type { Message } from '@tiny-chat/shared-types';

export type SendStatus = 'sending' | 'sent' | 'failed';

/** One line of the message list: a stored message, or one of ours still on its way. */
export interface ChatLine {
  key: string;
  id: number | null;
  nick: string;
  text: string;
  sentAt: string | null;
  own: boolean;
  status: SendStatus | null;
  error: string | null;
  clientMsgId: string | null;
}

/** An own message the server has not confirmed yet; its clientMsgId is reused by every retry. */
export interface OutgoingMessage {
  clientMsgId: string;
  text: string;
  status: 'sending' | 'failed';
  error: string | null;
}

export function toChatLines(stored: readonly Message[], outgoing: readonly OutgoingMessage[], me: string): ChatLine[] {
  const lines = stored.map<ChatLine>((m) => ({
    key: `m${m.id}`,
    id: m.id,
    nick: m.nick,
    text: m.text,
    sentAt: m.sentAt,
    own: m.nick === me,
    status: m.nick === me ? 'sent' : null,
    error: null,
    clientMsgId: m.clientMsgId ?? null,
  }));
  for (const o of outgoing) {
    lines.push({
      key: `c${o.clientMsgId}`,
      id: null,
      nick: me,
      text: o.text,
      sentAt: null,
      own: true,
      status: o.status,
      error: o.error,
      clientMsgId: o.clientMsgId,
    });
  }
  return lines;
}

/** crypto.randomUUID needs a secure context; getRandomValues also works on a plain-http LAN address. */
export function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
