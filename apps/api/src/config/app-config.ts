/** Owns the typed, validated configuration: the only place that reads process.env. */
import { join } from 'node:path';
import { z } from 'zod';

const intInRange = (name: string, min: number, max: number, fallback: number) =>
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

const envSchema = z
  .object({
    PORT: intInRange('PORT', 0, 65535, 3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    ROOM_IDLE_TIMEOUT_SEC: intInRange('ROOM_IDLE_TIMEOUT_SEC', 1, 7 * 24 * 3600, 300),
    ROOM_MAX_TTL_SEC: intInRange('ROOM_MAX_TTL_SEC', 1, 30 * 24 * 3600, 43200),
    CLEANUP_INTERVAL_SEC: intInRange('CLEANUP_INTERVAL_SEC', 1, 3600, 10),
    MAX_ROOMS: intInRange('MAX_ROOMS', 1, 10_000_000, 1000),
    MAX_MESSAGE_LENGTH: intInRange('MAX_MESSAGE_LENGTH', 1, 100_000, 1000),
    HISTORY_LIMIT: intInRange('HISTORY_LIMIT', 1, 100_000, 200),
    WEB_ROOT: z.string().optional(),
    STORE: z.enum(['memory', 'redis'], { message: 'STORE must be "memory" or "redis"' }).default('memory'),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
      .default('redis://127.0.0.1:6379'),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]*$/)
      .default('tc:'),
    INSTANCE_TIMEOUT_SEC: intInRange('INSTANCE_TIMEOUT_SEC', 3, 600, 15),
    RATE_ROOMS_PER_MIN: intInRange('RATE_ROOMS_PER_MIN', 0, 1_000_000, 10),
    RATE_MESSAGES_PER_SEC: intInRange('RATE_MESSAGES_PER_SEC', 0, 1_000_000, 5),
    RATE_MESSAGES_BURST: intInRange('RATE_MESSAGES_BURST', 0, 1_000_000, 10),
    RATE_JOINS_PER_MIN: intInRange('RATE_JOINS_PER_MIN', 0, 1_000_000, 30),
    MAX_MEMBERS_PER_ROOM: intInRange('MAX_MEMBERS_PER_ROOM', 1, 1_000_000, 100),
    ALLOWED_ORIGINS: z
      .string()
      .optional()
      .transform((raw, ctx) => {
        const origins = (raw ?? '')
          .split(',')
          .map((o) => o.trim())
          .filter((o) => o !== '');
        for (const origin of origins) {
          if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
            ctx.addIssue({
              code: 'custom',
              message: `ALLOWED_ORIGINS entries must look like https://host[:port], got "${origin}"`,
            });
            return z.NEVER;
          }
        }
        return origins;
      }),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    METRICS_TOKEN: z.string().min(16, { message: 'METRICS_TOKEN must have at least 16 characters' }).optional(),
    SHUTDOWN_GRACE_SEC: intInRange('SHUTDOWN_GRACE_SEC', 1, 600, 10),
    FAST_PATHS: z.enum(['on', 'off'], { message: 'FAST_PATHS must be "on" or "off"' }).default('on'),
    AUTH_MODE: z.enum(['none', 'oidc'], { message: 'AUTH_MODE must be "none" or "oidc"' }).default('none'),
    OIDC_ISSUER: z.string().optional(),
    OIDC_CLIENT_ID: z.string().optional(),
    OIDC_CLIENT_SECRET: z.string().optional(),
    OIDC_SCOPES: z.string().optional(),
    PUBLIC_URL: z.string().optional(),
    SESSION_SECRET: z.string().optional(),
    SESSION_TTL_SEC: intInRange('SESSION_TTL_SEC', 1, Number.MAX_SAFE_INTEGER, 604800),
    ROOMS_REQUIRE_LOGIN: z
      .enum(['true', 'false'], { message: 'ROOMS_REQUIRE_LOGIN must be "true" or "false"' })
      .default('false'),
    MAX_ROOMS_PER_USER: intInRange('MAX_ROOMS_PER_USER', 1, 1_000_000, 3),
    TRUST_PROXY: z
      .string()
      .optional()
      .transform((raw): boolean | number | string => {
        const value = (raw ?? '').trim();
        if (value === '' || value === 'false') return false;
        if (value === 'true') return true;
        return /^\d+$/.test(value) ? Number(value) : value;
      }),
  })
  .superRefine(checkAuthSettings);

/** Loopback hosts may serve an OpenID issuer over http (local providers, tests); every other issuer must be https. */
function isLoopbackHost(hostname: string): boolean {
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
function checkAuthSettings(e: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (e.AUTH_MODE !== 'oidc') {
    if (e.ROOMS_REQUIRE_LOGIN === 'true') issue('ROOMS_REQUIRE_LOGIN', 'ROOMS_REQUIRE_LOGIN=true needs AUTH_MODE=oidc');
    return;
  }
  for (const name of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'PUBLIC_URL', 'SESSION_SECRET']) {
    const value = e[name];
    if (typeof value !== 'string' || value.trim() === '') issue(name, `${name} is required with AUTH_MODE=oidc`);
  }
  const issuer = typeof e.OIDC_ISSUER === 'string' && e.OIDC_ISSUER !== '' ? httpUrl(e.OIDC_ISSUER) : null;
  if (issuer === undefined) issue('OIDC_ISSUER', 'OIDC_ISSUER must be an http(s) URL');
  else if (issuer && issuer.protocol !== 'https:' && !isLoopbackHost(issuer.hostname))
    issue('OIDC_ISSUER', 'OIDC_ISSUER must use https (http only for a loopback host: 127.0.0.0/8, ::1, localhost)');
  if (typeof e.PUBLIC_URL === 'string' && e.PUBLIC_URL !== '') {
    const url = httpUrl(e.PUBLIC_URL);
    if (!url || url.pathname !== '/' || url.search !== '' || url.hash !== '')
      issue('PUBLIC_URL', 'PUBLIC_URL must be the origin users see, e.g. https://chat.example.com');
  }
  if (typeof e.SESSION_SECRET === 'string' && e.SESSION_SECRET !== '' && e.SESSION_SECRET.length < 32)
    issue('SESSION_SECRET', 'SESSION_SECRET must have at least 32 characters');
}

export interface AppConfigValues {
  port: number;
  host: string;
  roomIdleTimeoutSec: number;
  roomMaxTtlSec: number;
  cleanupIntervalSec: number;
  maxRooms: number;
  maxMessageLength: number;
  historyLimit: number;
  /** Folder of the built SPA; served at / when it exists. */
  webRoot: string;
  store: 'memory' | 'redis';
  redisUrl: string;
  redisKeyPrefix: string;
  /** An instance that has not heartbeaten for this long is dead: its sockets go offline. */
  instanceTimeoutSec: number;
  /** Rooms one client IP may create per minute; 0 = no limit. */
  rateRoomsPerMin: number;
  /** Sustained messages per member per second; 0 = no limit. */
  rateMessagesPerSec: number;
  /** Messages a member may send at once before the sustained rate applies. */
  rateMessagesBurst: number;
  /** room:join attempts per connection per minute; 0 = no limit. */
  rateJoinsPerMin: number;
  maxMembersPerRoom: number;
  /** Browser origins allowed besides the server's own; '*' allows any. */
  allowedOrigins: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** When set, GET /api/metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  shutdownGraceSec: number;
  /** Express `trust proxy`: which proxies' X-Forwarded-For to believe for the client address (flood limits). */
  trustProxy: boolean | number | string;
  /** FAST_PATHS=on: the tricks in transport/fast-paths may run (each only if its shape check passes). */
  fastPaths: boolean;
  auth: AuthSettings;
}

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

/** DI token and value: inject AppConfig to read the configuration. */
export class AppConfig implements AppConfigValues {
  readonly port!: number;
  readonly host!: string;
  readonly roomIdleTimeoutSec!: number;
  readonly roomMaxTtlSec!: number;
  readonly cleanupIntervalSec!: number;
  readonly maxRooms!: number;
  readonly maxMessageLength!: number;
  readonly historyLimit!: number;
  readonly webRoot!: string;
  readonly store!: 'memory' | 'redis';
  readonly redisUrl!: string;
  readonly redisKeyPrefix!: string;
  readonly instanceTimeoutSec!: number;
  readonly rateRoomsPerMin!: number;
  readonly rateMessagesPerSec!: number;
  readonly rateMessagesBurst!: number;
  readonly rateJoinsPerMin!: number;
  readonly maxMembersPerRoom!: number;
  readonly allowedOrigins!: string[];
  readonly logLevel!: AppConfigValues['logLevel'];
  readonly metricsToken?: string;
  readonly shutdownGraceSec!: number;
  readonly trustProxy!: boolean | number | string;
  readonly fastPaths!: boolean;
  readonly auth!: AuthSettings;

  constructor(values: AppConfigValues) {
    Object.assign(this, values);
  }

  get idleTimeoutMs(): number {
    return this.roomIdleTimeoutSec * 1000;
  }

  get maxTtlMs(): number {
    return this.roomMaxTtlSec * 1000;
  }
}

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return new AppConfig({
    port: e.PORT,
    host: e.HOST,
    roomIdleTimeoutSec: e.ROOM_IDLE_TIMEOUT_SEC,
    roomMaxTtlSec: e.ROOM_MAX_TTL_SEC,
    cleanupIntervalSec: e.CLEANUP_INTERVAL_SEC,
    maxRooms: e.MAX_ROOMS,
    maxMessageLength: e.MAX_MESSAGE_LENGTH,
    historyLimit: e.HISTORY_LIMIT,
    webRoot: e.WEB_ROOT ?? join(__dirname, '..', 'web', 'browser'),
    store: e.STORE,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    instanceTimeoutSec: e.INSTANCE_TIMEOUT_SEC,
    rateRoomsPerMin: e.RATE_ROOMS_PER_MIN,
    rateMessagesPerSec: e.RATE_MESSAGES_PER_SEC,
    rateMessagesBurst: Math.max(e.RATE_MESSAGES_BURST, e.RATE_MESSAGES_PER_SEC),
    rateJoinsPerMin: e.RATE_JOINS_PER_MIN,
    maxMembersPerRoom: e.MAX_MEMBERS_PER_ROOM,
    allowedOrigins: e.ALLOWED_ORIGINS,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    shutdownGraceSec: e.SHUTDOWN_GRACE_SEC,
    trustProxy: e.TRUST_PROXY,
    fastPaths: e.FAST_PATHS === 'on',
    auth:
      e.AUTH_MODE === 'oidc'
        ? {
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
          }
        : { mode: 'none' },
  });
}
