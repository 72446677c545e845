/**
 * Signed-in sessions: a random id in the signed `tc_session` cookie, the user in the SessionStore under the id's
 * hash. Anything wrong with the cookie (forged, tampered, unknown, expired) reads as signed out, never as an error.
 */
import { Injectable } from '@nestjs/common';
import { SESSION_COOKIE } from '@tiny-chat/shared-types';
import cookieParser from 'cookie-parser';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { SessionStore } from './session-store';

export interface SessionUser {
  /** `<issuer>#<sub>`: unique across providers, stable for the user. */
  id: string;
  name: string;
}

interface StoredSession {
  user: SessionUser;
  expiresAt: number;
}

/** A request as cookie-parser leaves it: cookies parsed, signed ones verified (false when the signature is wrong). */
type ParsedRequest = IncomingMessage & {
  cookies?: Record<string, string>;
  signedCookies?: Record<string, string | false>;
};

/** Store key of a session: the id's hash, so a store dump gives nobody a usable cookie. */
/** The session cookie's security scheme name in the Swagger document (bootstrap.ts declares it). */
export const SESSION_SCHEME = 'session';

const sessionKey = (id: string) => `s:${createHash('sha256').update(id).digest('base64url')}`;

function isStoredSession(value: unknown): value is StoredSession {
  const v = value as StoredSession | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.expiresAt === 'number' &&
    typeof v.user?.id === 'string' &&
    typeof v.user?.name === 'string'
  );
}

@Injectable()
export class Sessions {
  /** With AUTH_MODE=none there is no secret and no session: every request is signed out. */
  private readonly parse?: RequestHandler;
  private readonly ttlMs: number;
  private readonly secure: boolean;

  constructor(
    private readonly store: SessionStore,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    const auth = config.auth;
    this.ttlMs = auth.mode === 'oidc' ? auth.sessionTtlSec * 1000 : 0;
    this.secure = auth.mode === 'oidc' && auth.publicUrl.startsWith('https:');
    if (auth.mode === 'oidc') this.parse = cookieParser(auth.sessionSecret);
  }

  /** Express middleware that parses and verifies cookies (bootstrap.ts mounts it on /api with AUTH_MODE=oidc). */
  cookieMiddleware(): RequestHandler | undefined {
    return this.parse;
  }

  /** Whether the request carries a `tc_session` cookie at all, valid or not (the CSRF check keys on this). */
  static carriesSessionCookie(req: IncomingMessage): boolean {
    return new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=`).test(req.headers.cookie ?? '');
  }

  /** The cookie's verified value (`name` signed with SESSION_SECRET), or undefined when absent, unsigned or forged. */
  signedCookie(req: IncomingMessage, name: string): string | undefined {
    if (!this.parse) return undefined;
    const parsed = req as ParsedRequest;
    // Express requests were parsed by the middleware; a socket.io handshake request is parsed here, synchronously.
    if (parsed.signedCookies === undefined) this.parse(req as Request, {} as Response, () => undefined);
    const value = parsed.signedCookies?.[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** The signed-in user of an HTTP request or a socket.io handshake, or null. */
  userOf(req: IncomingMessage): Promise<SessionUser | null> {
    return this.userOfSession(this.signedCookie(req, SESSION_COOKIE));
  }

  /** The user of a session id taken from a verified cookie earlier (a socket keeps only that), or null. */
  async userOfSession(id: string | undefined): Promise<SessionUser | null> {
    if (id === undefined) return null;
    const raw = await this.store.get(sessionKey(id));
    if (raw === null) return null;
    let session: unknown;
    try {
      session = JSON.parse(raw);
    } catch {
      return null;
    }
    if (!isStoredSession(session) || session.expiresAt <= this.clock.now()) return null;
    return { id: session.user.id, name: session.user.name };
  }

  /** A new session for `user`, and its cookie on the response. */
  async start(res: Response, user: SessionUser): Promise<void> {
    const id = randomBytes(32).toString('base64url');
    const session: StoredSession = { user, expiresAt: this.clock.now() + this.ttlMs };
    await this.store.put(sessionKey(id), JSON.stringify(session), this.ttlMs);
    res.cookie(SESSION_COOKIE, id, { ...this.cookieOptions(), maxAge: this.ttlMs, signed: true });
  }

  /** Deletes the session server-side (a replayed cookie is signed out from now on) and clears the cookie. */
  async end(req: Request, res: Response): Promise<void> {
    const id = this.signedCookie(req, SESSION_COOKIE);
    if (id !== undefined) await this.store.delete(sessionKey(id));
    res.clearCookie(SESSION_COOKIE, this.cookieOptions());
  }

  /**
   * httpOnly (no script reads it), SameSite=Lax (sent on the provider's top-level redirect back, not on cross-site
   * subrequests), Secure when users reach the app over https.
   */
  cookieOptions(path = '/'): CookieOptions {
    return { httpOnly: true, sameSite: 'lax', secure: this.secure, path };
  }
}
