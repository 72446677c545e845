/** Reads a room id (and an encrypted room's key) out of whatever was pasted: a full link, a path "/r/<id>", or the bare id. */
import { keyFromFragment } from '../core/room-crypto';

const ROOM_ID = /^[A-Za-z0-9_-]{6,64}$/;

export function parseRoomLink(input: string): string | null {
  const text = input.trim();
  if (!text) return null;
  if (ROOM_ID.test(text)) return text;
  const path = pathOf(text);
  const match = /(?:^|\/)r\/([^/?#]+)\/?$/.exec(path ?? '');
  const id = match?.[1] ? safeDecode(match[1]) : null;
  return id && ROOM_ID.test(id) ? id : null;
}

function pathOf(text: string): string | null {
  try {
    return new URL(text).pathname;
  } catch {
    return text.split(/[?#]/)[0] ?? null;
  }
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** The key in a pasted link's fragment (`#k=...`), or null. */
export function parseRoomLinkKey(input: string): string | null {
  const hash = input.trim().indexOf('#');
  return hash < 0 ? null : keyFromFragment(input.trim().slice(hash));
}
