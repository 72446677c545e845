import type { AckError } from './error-codes';
import type { Message, NewMessageEvent } from './message';
import type { Member, RoomClosedReason, RoomLimits } from './room';

/** Every ack has this one shape. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };
export type AckCallback<T> = (response: Ack<T>) => void;

export interface JoinByNickRequest {
  roomId: string;
  nick: string;
}
export interface JoinByTokenRequest {
  roomId: string;
  userToken: string;
}
/** Exactly one of `nick` (new member) or `userToken` (come back as the same member). */
export type JoinRequest = JoinByNickRequest | JoinByTokenRequest;

export interface JoinResult {
  userToken: string;
  nick: string;
  /** The joiner's own public memberId: the same on every rejoin with the token. */
  memberId: string;
  members: Member[];
  /** The retained history, oldest first; at most the server's reply bound of it (see hasMore). */
  messages: Message[];
  /** True when newer messages did not fit in this reply: page on with message:list after the last id. */
  hasMore: boolean;
  expiresAt: string;
  idleExpiresAt: string;
  /** Extension: the server's limits, so clients can count against them. */
  limits: RoomLimits;
  /** End-to-end encrypted room: texts are envelopes (see envelope.ts). */
  encrypted: boolean;
  /** The room's title (an envelope in an encrypted room), or null. */
  title: string | null;
  /** The room's epoch (opaque): when a later ack or message:new carries another, drop the view and reload (see Message). */
  epoch: string;
}

export interface SendMessageRequest {
  roomId: string;
  userToken: string;
  text: string;
  /** Client-chosen idempotency key: a resend with the same value by the same member stores nothing new. */
  clientMsgId?: string;
}
export interface SendMessageResult {
  message: Message;
  /** The room's epoch (see JoinResult.epoch). */
  epoch: string;
}

export interface ListMessagesRequest {
  roomId: string;
  userToken: string;
  /** Return messages with id > afterId; 0 for all retained ones. */
  afterId: number;
}
export interface ListMessagesResult {
  messages: Message[];
  /** True when some messages after afterId were already dropped by the history cap. */
  truncated: boolean;
  /** True when newer messages did not fit in this reply (oldest first): ask again after the last id. */
  hasMore: boolean;
  /** The room's epoch (see JoinResult.epoch). */
  epoch: string;
}

/** Keep the room open: counts as activity like a send. Accepted once per ROOM_TOUCH_INTERVAL_SEC per member. */
export interface TouchRequest {
  roomId: string;
  userToken: string;
}

export interface TouchResult {
  /** The moved idle deadline; the room still closes at its expiresAt (max age) whatever this says. */
  idleExpiresAt: string;
}

/** room:touch is accepted at most once per this many seconds per member (more -> RATE_LIMITED with retryAfterMs). */
export const ROOM_TOUCH_INTERVAL_SEC = 30;

export interface LeaveRequest {
  roomId: string;
  userToken: string;
}
export type LeaveResult = Record<string, never>;

export interface PresenceEvent {
  roomId: string;
  members: Member[];
}
/** room:typing (client -> server): this member is typing. Never stored; relayed at most once per second per member. */
export interface TypingRequest {
  roomId: string;
  userToken: string;
}
export type TypingResult = Record<string, never>;
/** room:typing (server -> the room's other members): `nick` is typing now (show it for 5 s or until their message). */
export interface TypingEvent {
  roomId: string;
  nick: string;
}

export interface RoomClosedEvent {
  roomId: string;
  reason: RoomClosedReason;
}
/** The instance is shutting down: reconnect (with back-off) and catch up with message:list. */
export interface ServerRestartingEvent {
  /** Suggested delay before reconnecting, spread so clients do not all come back at once. */
  reconnectAfterMs: number;
}

export const CLIENT_EVENTS = {
  join: 'room:join',
  leave: 'room:leave',
  send: 'message:send',
  list: 'message:list',
  touch: 'room:touch',
  typing: 'room:typing',
} as const;

export type ClientEventName = (typeof CLIENT_EVENTS)[keyof typeof CLIENT_EVENTS];
const CLIENT_EVENT_NAMES: ReadonlySet<string> = new Set(Object.values(CLIENT_EVENTS));

/** Whether a received event name is one of the contract's client events. */
export function isClientEvent(name: unknown): name is ClientEventName {
  return typeof name === 'string' && CLIENT_EVENT_NAMES.has(name);
}

export const SERVER_EVENTS = {
  message: 'message:new',
  presence: 'room:presence',
  closed: 'room:closed',
  restarting: 'server:restarting',
  typing: 'room:typing',
} as const;

export interface ClientToServerEvents {
  'room:join': (request: JoinRequest, ack: AckCallback<JoinResult>) => void;
  'room:leave': (request: LeaveRequest, ack: AckCallback<LeaveResult>) => void;
  'message:send': (request: SendMessageRequest, ack: AckCallback<SendMessageResult>) => void;
  'message:list': (request: ListMessagesRequest, ack: AckCallback<ListMessagesResult>) => void;
  'room:touch': (request: TouchRequest, ack: AckCallback<TouchResult>) => void;
  'room:typing': (request: TypingRequest, ack: AckCallback<TypingResult>) => void;
}

export interface ServerToClientEvents {
  'message:new': (message: NewMessageEvent) => void;
  'room:presence': (event: PresenceEvent) => void;
  'room:closed': (event: RoomClosedEvent) => void;
  'room:typing': (event: TypingEvent) => void;
  'server:restarting': (event: ServerRestartingEvent) => void;
}
