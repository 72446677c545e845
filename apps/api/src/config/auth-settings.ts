/** Owns the sign-in settings (AUTH_MODE and, with oidc, the provider and session settings), validated at start. */
import { z } from 'zod';

const positiveInt = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be an integer from ${min} to ${max}, got "${raw}"` });
        return z.NEVER;
      }
      return value;
    });

/** The environment variables of sign-in; merged into the app's schema, then checked together by `checkAuthSettings`. */
export const authEnvShape = {
  AUTH_MODE: z.enum(['none', 'oidc'], { message: 'AUTH_MODE must be "none" or "oidc"' }).default('none'),
  OIDC_ISSUER: z.string().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_SCOPES: z.string().optional(),
  PUBLIC_URL: z.string().optional(),
  SESSION_SECRET: z.string().optional(),
  SESSION_TTL_SEC: positiveInt('SESSION_TTL_SEC', 1, Number.MAX_SAFE_INTEGER, 604800),
  ROOMS_REQUIRE_LOGIN: z
    .enum(['true', 'false'], { message: 'ROOMS_REQUIRE_LOGIN must be "true" or "false"' })
    .default('false'),
  MAX_ROOMS_PER_USER: positiveInt('MAX_ROOMS_PER_USER', 1, 1_000_000, 3),
};

type AuthEnv = z.infer<z.ZodObject<typeof authEnvShape>>;

/** AUTH_MODE and, with oidc, everything sign-in needs (validated at start). */
export type AuthSettings =
  | { mode: 'none' }
  | {
      mode: 'oidc';
      issuer: string;
      clientId: string;
      clientSecret: string;
      scopes: string;
      /** The origin users see, without a trailing slash; the redirect URI is this + /api/auth/callback. */
      publicUrl: string;
      sessionSecret: string;
      sessionTtlSec: number;
      roomsRequireLogin: boolean;
      maxRoomsPerUser: number;
    };

/** Loopback hosts may serve an OpenID issuer over http (local providers, tests); every other issuer must be https. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function httpUrl(raw: string): URL | undefined {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** AUTH_MODE=oidc needs its settings (each named when missing or wrong); AUTH_MODE=none takes no login rules. */
export function checkAuthSettings(e: AuthEnv, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (e.AUTH_MODE !== 'oidc') {
    if (e.ROOMS_REQUIRE_LOGIN === 'true') issue('ROOMS_REQUIRE_LOGIN', 'ROOMS_REQUIRE_LOGIN=true needs AUTH_MODE=oidc');
    return;
  }
  const required = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'PUBLIC_URL', 'SESSION_SECRET'] as const;
  for (const name of required) {
    const value = e[name];
    if (typeof value !== 'string' || value.trim() === '') issue(name, `${name} is required with AUTH_MODE=oidc`);
  }
  const issuer = e.OIDC_ISSUER ? httpUrl(e.OIDC_ISSUER) : null;
  if (issuer === undefined) issue('OIDC_ISSUER', 'OIDC_ISSUER must be an http(s) URL');
  else if (issuer && issuer.protocol !== 'https:' && !isLoopbackHost(issuer.hostname))
    issue('OIDC_ISSUER', 'OIDC_ISSUER must use https (http only for a loopback host: 127.0.0.0/8, ::1, localhost)');
  if (e.PUBLIC_URL) {
    const url = httpUrl(e.PUBLIC_URL);
    if (!url || url.pathname !== '/' || url.search !== '' || url.hash !== '')
      issue('PUBLIC_URL', 'PUBLIC_URL must be the origin users see, e.g. https://chat.example.com');
  }
  if (e.SESSION_SECRET && e.SESSION_SECRET.length < 32)
    issue('SESSION_SECRET', 'SESSION_SECRET must have at least 32 characters');
}

/** The settings from an environment that passed `checkAuthSettings`. */
export function authSettingsOf(e: AuthEnv): AuthSettings {
  if (e.AUTH_MODE !== 'oidc') return { mode: 'none' };
  return {
    mode: 'oidc',
    issuer: String(e.OIDC_ISSUER),
    clientId: String(e.OIDC_CLIENT_ID),
    clientSecret: String(e.OIDC_CLIENT_SECRET),
    scopes: e.OIDC_SCOPES?.trim() || 'openid profile email',
    publicUrl: new URL(String(e.PUBLIC_URL)).origin,
    sessionSecret: String(e.SESSION_SECRET),
    sessionTtlSec: e.SESSION_TTL_SEC,
    roomsRequireLogin: e.ROOMS_REQUIRE_LOGIN === 'true',
    maxRoomsPerUser: e.MAX_ROOMS_PER_USER,
  };
}
