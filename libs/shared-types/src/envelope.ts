/**
 * End-to-end encrypted rooms: a text (or title) travels and is stored as `e1.<iv>.<ciphertext+tag>`, AES-256-GCM
 * with a 96-bit IV, both parts base64url without padding, the roomId as additional authenticated data. The server
 * checks only this shape and the size a plaintext within the limit can produce.
 */
export const ENVELOPE_PREFIX = 'e1.';

/** Bytes of AES-GCM's IV (96 bits) and tag (128 bits). */
export const ENVELOPE_IV_BYTES = 12;
export const ENVELOPE_TAG_BYTES = 16;

/** Length of `bytes` bytes in base64url without padding. */
export function base64UrlLength(bytes: number): number {
  return Math.floor(bytes / 3) * 4 + (bytes % 3 === 0 ? 0 : (bytes % 3) + 1);
}

/** `e1.` + 16 characters of IV + `.` + at least one byte of plaintext and the tag. */
const ENVELOPE_SHAPE = /^e1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/;

/** Whether `text` has the envelope's shape (its parts may still be any bytes: only the key holder can tell). */
export function isEnvelope(text: string): boolean {
  if (!ENVELOPE_SHAPE.test(text)) return false;
  const body = text.length - ENVELOPE_PREFIX.length - base64UrlLength(ENVELOPE_IV_BYTES) - 1;
  // base64url never has a length of 1 mod 4; the ciphertext holds the tag and at least one byte.
  return body % 4 !== 1 && body >= base64UrlLength(ENVELOPE_TAG_BYTES + 1);
}

/** The longest envelope of a plaintext of `codePoints` code points (UTF-8: at most 4 bytes each). */
export function maxEnvelopeLength(codePoints: number): number {
  return (
    ENVELOPE_PREFIX.length +
    base64UrlLength(ENVELOPE_IV_BYTES) +
    1 +
    base64UrlLength(4 * codePoints + ENVELOPE_TAG_BYTES)
  );
}
