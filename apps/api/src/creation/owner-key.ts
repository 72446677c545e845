/** Owner keys: the bearer secret that lets a room's creator close it, kept by the server only as a hash. */
import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url (43 characters): unguessable, so comparing hashes needs no constant time. */
export function newOwnerKey(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 (base64url) of a key: what the store keeps and compares, so a store dump reveals no key. */
export function ownerKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/** The key of an `Authorization: Bearer <ownerKey>` header, or undefined when there is none or it is malformed. */
export function bearerKeyOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]{1,256})$/i.exec(authorization?.trim() ?? '');
  return match?.[1];
}
