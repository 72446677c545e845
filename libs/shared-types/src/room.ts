/** Rooms and their members as seen on the wire. Times are ISO-8601 strings. */
/** `closed`: its owner closed it (DELETE /api/rooms/:roomId). */
export type RoomClosedReason = 'idle' | 'ttl' | 'closed';

export interface Member {
  nick: string;
  /** True while at least one socket of this member is connected. */
  online: boolean;
  /** Public, random id of this member in this room (never the token): tells apart members who share a nick. */
  memberId: string;
}

export interface RoomLimits {
  /** Maximum message length in Unicode code points. */
  maxMessageLength: number;
  /** How many of the newest messages a room keeps. */
  historyLimit: number;
  /** Idle timeout in seconds: the room closes after this long without a create, join or send. */
  idleTimeoutSec: number;
}

export interface RoomSummary {
  roomId: string;
  /** End-to-end encrypted: texts and the title are envelopes (see envelope.ts); the key is only in the link. */
  encrypted: boolean;
  /** The room's title (an envelope in an encrypted room), or null. */
  title: string | null;
  createdAt: string;
  /** Hard end of life: createdAt + ROOM_MAX_TTL_SEC, whatever happens. */
  expiresAt: string;
  /** When the room closes if nobody creates, joins or sends before then. */
  idleExpiresAt: string;
}

export interface RoomDetails extends RoomSummary {
  members: Member[];
  /** Id of the newest message, 0 when none was sent yet. */
  lastMessageId: number;
}

/** POST /api/rooms body, optional: no body or {} is a plain, untitled room; unknown fields -> VALIDATION_ERROR. */
export interface CreateRoomRequest {
  encrypted?: boolean;
  title?: string;
}

/** A plain room's title: NFKC, trimmed, 1 to this many code points. */
export const MAX_TITLE_LENGTH = 64;
