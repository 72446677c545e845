/** Room ids, member ids and user tokens: unguessable values from a CSPRNG, URL-safe. */
import { createHash, randomBytes } from 'node:crypto';
import { RoomNotFoundError } from '../common/domain-errors';

const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** `bytes` random bytes as one flat base64url string. */
function randomBase64url(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** 128 bits, base64url: 22 characters. */
export function newRoomId(): string {
  return randomBase64url(16);
}

/**
 * A member's id inside the server (never sent to clients), 128 bits, base64url. Not randomUUID(): Node builds a UUID
 * by concatenation, and every member would keep a chain of some twenty string pieces alive instead of one string.
 */
/** A room epoch: opaque, 48 random bits (it only has to differ from the room's earlier ones). */
export function newEpoch(): string {
  return randomBytes(6).toString('base64url');
}

export function newMemberId(): string {
  return randomBase64url(16);
}

/** A member's id on the wire, 128 bits, base64url: drawn on its own, so it reveals neither memberId nor token. */
export function newPublicMemberId(): string {
  return randomBase64url(16);
}

/** 256 bits, base64url: 43 characters. */
export function newUserToken(): string {
  return randomBase64url(32);
}

/** Hashes of recently seen tokens: every message:send carries its token, SHA-256 on each would be wasted work. */
const recentHashes = new Map<string, string>();
const RECENT_HASHES_MAX = 50_000;

/** Only a hash of a token is stored, so a dump of the store reveals no usable token. */
export function hashToken(token: string): string {
  let hash = recentHashes.get(token);
  if (hash === undefined) {
    hash = createHash('sha256').update(token).digest('base64url');
    if (recentHashes.size >= RECENT_HASHES_MAX) recentHashes.clear();
    recentHashes.set(token, hash);
  }
  return hash;
}

/** A malformed id can name no room: answer exactly as for an unknown one. */
export function assertRoomId(roomId: string): void {
  if (!ROOM_ID_PATTERN.test(roomId)) throw new RoomNotFoundError();
}
