/** What the message list shows: stored messages by id (with presence lines between), then our own still on their way. */
import type { Member, Message } from '@tiny-chat/shared-types';
import { mentionsMe } from './mentions';
import { presenceText, type PresenceEvent } from './presence-log';

export type SendStatus = 'sending' | 'sent' | 'failed' | 'waiting';

/** Messages of one member this close together share one header. */
export const GROUP_WINDOW_MS = 5 * 60_000;

/** One line of the message list: a stored message, or one of ours still on its way. */
export interface ChatLine {
  /** A message, or a quiet system line (joined, left, offline) that exists only in this browser. */
  kind: 'message' | 'system';
  key: string;
  id: number | null;
  nick: string;
  /** A short suffix from the member's id, set only when the conversation shows two members with this nick. */
  tag: string | null;
  text: string;
  sentAt: string | null;
  own: boolean;
  /** Someone else's message that @mentions me. */
  mentionsMe: boolean;
  status: SendStatus | null;
  /** The status is worth showing: while on its way, on failure, or on the last own message. */
  showStatus: boolean;
  /** Same author as the line before, within GROUP_WINDOW_MS: no header of its own. */
  grouped: boolean;
  error: string | null;
  /** For a waiting line: how long until it goes out by itself; null while it waits for the connection. */
  retryInMs: number | null;
  clientMsgId: string | null;
}

/** An own message the server has not confirmed yet; its clientMsgId is reused by every retry. */
export interface OutgoingMessage {
  clientMsgId: string;
  text: string;
  status: 'sending' | 'failed' | 'waiting';
  error: string | null;
  /** Epoch ms when a rate-limited message goes out again; null while waiting for the connection. */
  retryAt?: number | null;
}

/** Who "me" is: decided by the public memberId, never by nick. */
export interface Me {
  memberId: string;
  nick: string;
}

/** The tag shown after a nick two members share. */
export function memberTag(memberId: string): string {
  return `#${memberId.slice(0, 4)}`;
}

function nickKey(nick: string): string {
  return nick.normalize('NFKC').toLowerCase();
}

/** Nicks that the conversation and the member list show for more than one member. */
function sharedNicks(
  stored: readonly Message[],
  members: readonly Member[],
  me: Me,
  presence: readonly PresenceEvent[],
): Set<string> {
  const idsByNick = new Map<string, Set<string>>();
  const add = (nick: string, memberId: string) => {
    const key = nickKey(nick);
    const ids = idsByNick.get(key) ?? new Set<string>();
    ids.add(memberId);
    idsByNick.set(key, ids);
  };
  for (const m of stored) add(m.nick, m.memberId);
  for (const m of members) add(m.nick, m.memberId);
  for (const e of presence) add(e.nick, e.memberId);
  if (me.memberId) add(me.nick, me.memberId);
  return new Set([...idsByNick].filter(([, ids]) => ids.size > 1).map(([key]) => key));
}

export function toChatLines(
  stored: readonly Message[],
  outgoing: readonly OutgoingMessage[],
  me: Me,
  members: readonly Member[] = [],
  now = Date.now(),
  presence: readonly PresenceEvent[] = [],
): ChatLine[] {
  const shared = sharedNicks(stored, members, me, presence);
  const nicks = members.map((m) => m.nick);
  const tagOf = (nick: string, memberId: string) => (shared.has(nickKey(nick)) ? memberTag(memberId) : null);
  // Parallel to lines: who wrote each one; a system line has no author, so it ends a group.
  const authors: string[] = [];
  const lines: ChatLine[] = [];
  let nextEvent = 0;
  const presenceUpTo = (id: number) => {
    for (; nextEvent < presence.length && (presence[nextEvent]?.afterId ?? 0) < id; nextEvent++) {
      const e = presence[nextEvent];
      if (!e) continue;
      const tag = tagOf(e.nick, e.memberId);
      authors.push('');
      lines.push({
        kind: 'system',
        key: e.key,
        id: null,
        nick: e.nick,
        tag,
        text: presenceText(e.change, tag ? `${e.nick} ${tag}` : e.nick),
        sentAt: new Date(e.at).toISOString(),
        own: false,
        mentionsMe: false,
        status: null,
        showStatus: false,
        grouped: false,
        error: null,
        retryInMs: null,
        clientMsgId: null,
      });
    }
  };
  for (const m of stored) {
    presenceUpTo(m.id);
    const own = me.memberId !== '' && m.memberId === me.memberId;
    authors.push(m.memberId);
    lines.push({
      kind: 'message',
      key: `m${m.id}`,
      id: m.id,
      nick: m.nick,
      tag: tagOf(m.nick, m.memberId),
      text: m.text,
      sentAt: m.sentAt,
      own,
      mentionsMe: !own && me.nick !== '' && mentionsMe(m.text, nicks, me.nick),
      status: own ? 'sent' : null,
      showStatus: false,
      grouped: false,
      error: null,
      retryInMs: null,
      clientMsgId: m.clientMsgId ?? null,
    });
  }
  presenceUpTo(Infinity);
  for (const o of outgoing) {
    authors.push(me.memberId);
    lines.push({
      kind: 'message',
      key: `c${o.clientMsgId}`,
      id: null,
      nick: me.nick,
      tag: tagOf(me.nick, me.memberId),
      text: o.text,
      sentAt: null,
      own: true,
      mentionsMe: false,
      status: o.status,
      showStatus: true,
      grouped: false,
      error: o.error,
      retryInMs: o.status === 'waiting' && o.retryAt != null ? Math.max(0, o.retryAt - now) : null,
      clientMsgId: o.clientMsgId,
    });
  }
  let lastOwn = -1;
  lines.forEach((line, i) => {
    if (line.own) lastOwn = i;
    const before = lines[i - 1];
    if (!before || !authors[i] || authors[i - 1] !== authors[i]) return;
    const gap = (line.sentAt ? Date.parse(line.sentAt) : now) - (before.sentAt ? Date.parse(before.sentAt) : now);
    line.grouped = gap <= GROUP_WINDOW_MS;
  });
  const last = lines[lastOwn];
  if (last) last.showStatus = true;
  return lines;
}

/** crypto.randomUUID needs a secure context; getRandomValues also works on a plain-http LAN address. */
export function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
