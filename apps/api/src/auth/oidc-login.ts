/**
 * The OpenID Connect authorization-code flow with PKCE, state and nonce, through openid-client: this file builds
 * the provider redirect and checks the callback; openid-client validates the tokens (nothing is hand-checked here).
 */
import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type * as OpenIdClient from 'openid-client';
import { AppConfig } from '../config/app-config';
import { isLoopbackHost } from '../config/auth-settings';
import { SessionStore } from './session-store';
import type { SessionUser } from './sessions';

/** How long a started login may take at the provider before its callback is refused. */
export const LOGIN_TTL_MS = 10 * 60_000;
/** The cookie that ties a callback to the browser that started the login (holds the `state`). */
export const LOGIN_COOKIE = 'tc_login';
export const CALLBACK_PATH = '/api/auth/callback';

/** What the callback needs back from the login that started it, kept server-side and usable once. */
interface PendingLogin {
  codeVerifier: string;
  nonce: string;
  returnTo: string;
}

export type LoginFailure = 'access_denied' | 'login_failed';

export class LoginFailedError extends Error {
  constructor(
    readonly reason: LoginFailure,
    detail: string,
  ) {
    super(detail);
  }
}

const loginKey = (state: string) => `l:${state}`;

/**
 * `returnTo` when it is a path on this origin, else `/`. Protocol-relative (`//evil.example`), backslash
 * (`/\evil.example`, which browsers read as `//`), absolute and control-character forms all go to `/`.
 */
export function safeReturnTo(raw: unknown, publicUrl: string): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  // Control characters (tabs and newlines are dropped by URL parsers, turning `/\t/evil` into `//evil`).
  if ([...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return '/';
  try {
    const url = new URL(raw, publicUrl);
    // Dot segments can normalise into a protocol-relative path (`/.//evil.example` -> `//evil.example`).
    if (url.origin !== new URL(publicUrl).origin || url.pathname.startsWith('//')) return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}

@Injectable()
export class OidcLogin {
  private readonly logger = new Logger(OidcLogin.name);
  /** Discovery runs at the first login (a provider down at start does not stop the server), then is reused. */
  private configuration?: Promise<OpenIdClient.Configuration>;

  constructor(
    private readonly config: AppConfig,
    private readonly store: SessionStore,
  ) {}

  private get settings() {
    const auth = this.config.auth;
    if (auth.mode !== 'oidc') throw new Error('OIDC login with AUTH_MODE=none');
    return auth;
  }

  /**
   * openid-client 6 is an ES module; the API is CommonJS. Node 20.19+ loads it through require(esm), which is what
   * this dynamic import compiles to. Loaded on first use, so nothing pays for it with AUTH_MODE=none.
   */
  private async library(): Promise<typeof OpenIdClient> {
    return import('openid-client');
  }

  private discover(): Promise<OpenIdClient.Configuration> {
    this.configuration ??= (async () => {
      const client = await this.library();
      const { issuer, clientId, clientSecret } = this.settings;
      const url = new URL(issuer);
      // http is allowed (validated at start) only for a loopback issuer: a provider on this machine, or tests.
      const insecure = url.protocol === 'http:' && isLoopbackHost(url.hostname);
      return client.discovery(url, clientId, clientSecret, undefined, {
        execute: insecure ? [client.allowInsecureRequests] : [],
      });
    })().catch((error: unknown) => {
      this.configuration = undefined;
      throw error;
    });
    return this.configuration;
  }

  /** The provider URL to send the browser to, and the `state` the login cookie must carry back. */
  async start(returnTo: unknown): Promise<{ redirectTo: string; state: string }> {
    const client = await this.library();
    const configuration = await this.discover();
    const { publicUrl, scopes } = this.settings;
    const codeVerifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = randomBytes(32).toString('base64url');
    const pending: PendingLogin = { codeVerifier, nonce, returnTo: safeReturnTo(returnTo, publicUrl) };
    await this.store.put(loginKey(state), JSON.stringify(pending), LOGIN_TTL_MS);
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: `${publicUrl}${CALLBACK_PATH}`,
      scope: scopes,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { redirectTo: url.href, state };
  }

  /**
   * Completes a login: `originalUrl` is the callback's path and query, `cookieState` the login cookie's value.
   * The pending login is taken (deleted) first, so a replayed callback finds nothing. Throws LoginFailedError.
   */
  async finish(originalUrl: string, cookieState: string | undefined): Promise<{ user: SessionUser; returnTo: string }> {
    const { publicUrl } = this.settings;
    const currentUrl = new URL(originalUrl, publicUrl);
    const state = currentUrl.searchParams.get('state');
    if (!state || state !== cookieState)
      throw new LoginFailedError('login_failed', 'state missing or not the one this browser started');
    const raw = await this.store.take(loginKey(state));
    if (raw === null) throw new LoginFailedError('login_failed', 'unknown, expired or already used state');
    const pending = JSON.parse(raw) as PendingLogin;
    const error = currentUrl.searchParams.get('error');
    if (error !== null)
      throw new LoginFailedError(error === 'access_denied' ? 'access_denied' : 'login_failed', `provider: ${error}`);
    const client = await this.library();
    try {
      const tokens = await client.authorizationCodeGrant(await this.discover(), currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedNonce: pending.nonce,
        expectedState: state,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      const name = [claims['name'], claims['preferred_username'], claims['email']].find(
        (v): v is string => typeof v === 'string' && v.trim() !== '',
      );
      return { user: { id: `${claims.iss}#${claims.sub}`, name: name ?? claims.sub }, returnTo: pending.returnTo };
    } catch (e) {
      this.logger.warn(`login failed: ${e instanceof Error ? e.message : String(e)}`);
      throw new LoginFailedError('login_failed', e instanceof Error ? e.message : String(e));
    }
  }
}
