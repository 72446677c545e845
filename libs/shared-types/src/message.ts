/**
 * A chat message; `id` is the room's sequence 1, 2, 3, ... assigned by the server, without gaps within one epoch.
 * The one exception: when a store failover lost the room's newest messages, the room gets a new epoch and its ids
 * continue past every id it had given out (never one id for two messages); clients seeing the epoch change drop
 * their view and reload with message:list from afterId 0.
 */
export interface Message {
  id: number;
  roomId: string;
  nick: string;
  /** The sender's public memberId: a later member with the same nick has another one. */
  memberId: string;
  text: string;
  sentAt: string;
  clientMsgId?: string;
}

/** message:new: the message and the room's epoch when it was stored. */
export type NewMessageEvent = Message & { epoch: string };
