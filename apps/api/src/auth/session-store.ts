/**
 * The SessionStore port: short-lived secrets (signed-in sessions, pending logins) kept where the rooms are, so a
 * session made on one instance works on every other (STORE=redis), with a TTL the store enforces.
 */
export abstract class SessionStore {
  /** Stores `value` under `key` for `ttlMs`, replacing what was there. */
  abstract put(key: string, value: string, ttlMs: number): Promise<void>;
  /** The live value, or null when unknown or expired. */
  abstract get(key: string): Promise<string | null>;
  /** Reads and deletes in one atomic step: a second take of the same key gets null (one-time login states). */
  abstract take(key: string): Promise<string | null>;
  abstract delete(key: string): Promise<void>;
}
