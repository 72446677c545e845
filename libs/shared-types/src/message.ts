/** A chat message; `id` is the room's gapless sequence 1, 2, 3, ... assigned by the server. */
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
