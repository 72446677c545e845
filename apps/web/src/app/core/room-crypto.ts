/**
 * End-to-end encryption of a room's texts and title with WebCrypto: AES-256-GCM, a fresh 96-bit IV per text, the
 * envelope `e1.<iv>.<ciphertext+tag>` (base64url without padding) that libs/shared-types' `isEnvelope` checks.
 * The key lives only in the browser and in the link's fragment (`#k=<base64url key>`), never on the server.
 */
import { ENVELOPE_IV_BYTES, ENVELOPE_PREFIX, isEnvelope } from '@tiny-chat/shared-types';

/** The link fragment's parameter that carries the key: `/r/<roomId>#k=<key>`. */
export const KEY_FRAGMENT_PARAM = 'k';

/**
 * A message's additional authenticated data is its roomId: an envelope copied into another room never decrypts there.
 * The title is encrypted before the room (and so its id) exists: its AD is this fixed string instead; it cannot be
 * moved to another room either, since every room has a key of its own.
 */
export const TITLE_AD = 'tiny-chat:title';

const KEY_BYTES = 32;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** null for anything that is not base64url without padding. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A room's key: the WebCrypto key and its base64url form for the link. */
export interface RoomKey {
  key: CryptoKey;
  encoded: string;
}

/** A fresh random 256-bit key for a new encrypted room. */
export async function generateRoomKey(): Promise<RoomKey> {
  const raw = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { key, encoded: toBase64Url(raw) };
}

/** The key from its link form; null when it is not 32 bytes of base64url. */
export async function importRoomKey(encoded: string): Promise<RoomKey | null> {
  const raw = fromBase64Url(encoded);
  if (!raw || raw.length !== KEY_BYTES) return null;
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { key, encoded };
}

/** The key named in a URL fragment (`#k=...`, possibly among other parameters), or null. */
export function keyFromFragment(fragment: string | null | undefined): string | null {
  if (!fragment) return null;
  const value = new URLSearchParams(fragment.replace(/^#/, '')).get(KEY_FRAGMENT_PARAM);
  return value || null;
}

export async function encryptText(key: CryptoKey, additionalData: string, text: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(ENVELOPE_IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(additionalData) },
    key,
    new TextEncoder().encode(text),
  );
  return `${ENVELOPE_PREFIX}${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

/** The plaintext, or null when the envelope is malformed, of another room, or sealed with another key. */
export async function decryptText(key: CryptoKey, additionalData: string, envelope: string): Promise<string | null> {
  if (!isEnvelope(envelope)) return null;
  const [, ivPart = '', sealedPart = ''] = envelope.split('.');
  const iv = fromBase64Url(ivPart);
  const sealed = fromBase64Url(sealedPart);
  if (!iv || !sealed) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(additionalData) },
      key,
      sealed,
    );
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    return null;
  }
}
