/** Owns the typed, validated configuration: the only place that reads process.env. */
import { isIP } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { authEnvShape, authSettingsOf, checkAuthSettings, type AuthSettings } from './auth-settings';
import { readOpenFileLimit } from './open-file-limit';

export type { AuthSettings } from './auth-settings';

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

/** File descriptors kept for what is not a client connection: Redis, logs, the listening socket, static files. */
export const FILE_DESCRIPTOR_RESERVE = 64;
/** MAX_CONNECTIONS when unset, unless the file limit allows fewer. */
const DEFAULT_MAX_CONNECTIONS = 10_000;

const envSchema = (openFileLimit: number) => {
  const connectionRoom = Math.max(1, Math.min(10_000_000, openFileLimit - FILE_DESCRIPTOR_RESERVE));
  return z
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
      REDIS_CLUSTER_NODES: z
        .string()
        .regex(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/, {
          message: "REDIS_CLUSTER_NODES must be host:port,host:port,... (the cluster's seed nodes)",
        })
        .optional(),
      REDIS_KEY_PREFIX: z
        .string()
        .regex(/^[A-Za-z0-9:_-]*$/)
        .default('tc:'),
      INSTANCE_TIMEOUT_SEC: intInRange('INSTANCE_TIMEOUT_SEC', 3, 600, 15),
      REDIS_WAIT_REPLICAS: intInRange('REDIS_WAIT_REPLICAS', 0, 16, 0),
      REDIS_WAIT_TIMEOUT_MS: intInRange('REDIS_WAIT_TIMEOUT_MS', 1, 60_000, 500),
      RATE_ROOMS_PER_MIN: intInRange('RATE_ROOMS_PER_MIN', 0, 1_000_000, 10),
      RATE_MESSAGES_PER_SEC: intInRange('RATE_MESSAGES_PER_SEC', 0, 1_000_000, 5),
      RATE_MESSAGES_BURST: intInRange('RATE_MESSAGES_BURST', 0, 1_000_000, 10),
      RATE_JOINS_PER_MIN: intInRange('RATE_JOINS_PER_MIN', 0, 1_000_000, 30),
      RATE_JOINS_PER_IP_PER_MIN: intInRange('RATE_JOINS_PER_IP_PER_MIN', 0, 1_000_000, 60),
      RATE_MESSAGES_PER_IP_PER_SEC: intInRange('RATE_MESSAGES_PER_IP_PER_SEC', 0, 1_000_000, 50),
      RATE_LISTS_PER_SEC: intInRange('RATE_LISTS_PER_SEC', 0, 1_000_000, 5),
      LIST_MAX_BYTES: intInRange('LIST_MAX_BYTES', 0, 1 << 30, 256 * 1024),
      JOIN_TIMEOUT_SEC: intInRange('JOIN_TIMEOUT_SEC', 0, 24 * 3600, 30),
      MAX_CONNECTION_BUFFER_BYTES: intInRange('MAX_CONNECTION_BUFFER_BYTES', 0, 1 << 30, 1024 * 1024),
      MAX_MEMBERS_PER_ROOM: intInRange('MAX_MEMBERS_PER_ROOM', 1, 1_000_000, 100),
      MEMBER_RECLAIM_SEC: intInRange('MEMBER_RECLAIM_SEC', 0, 30 * 24 * 3600, 120),
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
      MAX_CONNECTIONS_PER_IP: intInRange('MAX_CONNECTIONS_PER_IP', 0, 10_000_000, 100),
      MAX_CONNECTIONS: z
        .string()
        .optional()
        .transform((raw, ctx) => {
          if (raw === undefined || raw.trim() === '') return Math.min(DEFAULT_MAX_CONNECTIONS, connectionRoom);
          const value = Number(raw);
          if (!Number.isInteger(value) || value < 1 || value > connectionRoom) {
            ctx.addIssue({
              code: 'custom',
              message: `MAX_CONNECTIONS must be an integer from 1 to ${connectionRoom} (the open-file limit ${openFileLimit} minus ${FILE_DESCRIPTOR_RESERVE} kept for Redis and logs; raise it with ulimit -n), got "${raw}"`,
            });
            return z.NEVER;
          }
          return value;
        }),
      TRUST_PROXY: z
        .string()
        .optional()
        .transform((raw, ctx): false | number | string => {
          const parsed = parseTrustProxy(raw);
          if (typeof parsed === 'object') {
            ctx.addIssue({ code: 'custom', message: parsed.error });
            return z.NEVER;
          }
          return parsed;
        }),
      ...authEnvShape,
    })
    .superRefine(checkAuthSettings);
};

/** express' named ranges for `trust proxy`. */
const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const TRUST_PROXY_HINT =
  'write the number of proxies in front of the server (e.g. 1) or their addresses (e.g. "loopback, 10.0.0.0/8")';

/**
 * TRUST_PROXY: off, a hop count, or addresses/CIDRs/express names. `true` is refused: it believes any
 * X-Forwarded-For, so a client reaching the server directly could pick its own address and dodge every per-address limit.
 */
export function parseTrustProxy(raw: string | undefined): false | number | string | { error: string } {
  const value = (raw ?? '').trim();
  if (value === '' || value === 'false' || value === '0') return false;
  if (value.toLowerCase() === 'true') {
    return {
      error: `TRUST_PROXY=true would believe any client's X-Forwarded-For (anyone could pick their address); ${TRUST_PROXY_HINT}`,
    };
  }
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !isTrustedProxyEntry(entry));
  if (bad !== undefined) {
    return {
      error: `TRUST_PROXY entries must be addresses, CIDRs, loopback, linklocal or uniquelocal, got "${bad}"; ${TRUST_PROXY_HINT}`,
    };
  }
  return entries.join(', ');
}

function isTrustedProxyEntry(entry: string): boolean {
  if (TRUST_PROXY_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
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
  /** REDIS_CLUSTER_NODES: a Redis Cluster's seed nodes; when given, REDIS_URL is ignored. Empty: standalone. */
  redisClusterNodes: Array<{ host: string; port: number }>;
  redisKeyPrefix: string;
  /** An instance that has not heartbeaten for this long is dead: its sockets go offline. */
  instanceTimeoutSec: number;
  /** A send is acknowledged once this many replicas confirm it (WAIT); 0 = at once (asynchronous replication). */
  redisWaitReplicas: number;
  /** How long WAIT may take; fewer replicas by then -> the send answers STORE_UNAVAILABLE. */
  redisWaitTimeoutMs: number;
  /** Rooms one client IP may create per minute; 0 = no limit. */
  rateRoomsPerMin: number;
  /** Sustained messages per member per second; 0 = no limit. */
  rateMessagesPerSec: number;
  /** Messages a member may send at once before the sustained rate applies. */
  rateMessagesBurst: number;
  /** room:join attempts per connection per minute; 0 = no limit. */
  rateJoinsPerMin: number;
  /** room:join attempts per client address per minute, over all its connections; 0 = no limit. */
  rateJoinsPerIpPerMin: number;
  /** Messages per client address per second, over all its members; 0 = no limit. */
  rateMessagesPerIpPerSec: number;
  /** Sustained message:list requests per member per second (twice that at once); 0 = no limit. */
  rateListsPerSec: number;
  /** Bytes of messages (JSON) one message:list reply or room:join ack carries at most; 0 = no bound. */
  listMaxBytes: number;
  /** Unsent bytes a connection may have queued before it gets no more message:list work (4x: disconnected); 0 = off. */
  maxConnectionBufferBytes: number;
  /** A socket.io connection that has joined no room this long after connecting is closed; 0 = never. */
  joinTimeoutSec: number;
  maxMembersPerRoom: number;
  /** A full room retires its member offline the longest once it has been offline this long; 0 = never. */
  memberReclaimSec: number;
  /** Browser origins allowed besides the server's own; '*' allows any. */
  allowedOrigins: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** When set, GET /api/metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  shutdownGraceSec: number;
  /** Express `trust proxy`: which proxies' X-Forwarded-For to believe for the client address (flood limits). */
  trustProxy: false | number | string;
  /** TCP connections one client address may hold open on this instance; 0 = no limit. */
  maxConnectionsPerIp: number;
  /** TCP connections this instance holds open at most (bounded by the open-file limit). */
  maxConnections: number;
  /** FAST_PATHS=on: the tricks in transport/fast-paths may run (each only if its shape check passes). */
  fastPaths: boolean;
  auth: AuthSettings;
}

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
  readonly redisClusterNodes!: Array<{ host: string; port: number }>;
  /** Where STORE=redis connects: the cluster's seed nodes when REDIS_CLUSTER_NODES is set, else REDIS_URL. */
  get redisTarget(): { url: string; clusterNodes: ReadonlyArray<{ host: string; port: number }> } {
    return { url: this.redisUrl, clusterNodes: this.redisClusterNodes };
  }
  readonly redisKeyPrefix!: string;
  readonly instanceTimeoutSec!: number;
  readonly redisWaitReplicas!: number;
  readonly redisWaitTimeoutMs!: number;
  readonly rateRoomsPerMin!: number;
  readonly rateMessagesPerSec!: number;
  readonly rateMessagesBurst!: number;
  readonly rateJoinsPerMin!: number;
  readonly rateJoinsPerIpPerMin!: number;
  readonly rateMessagesPerIpPerSec!: number;
  readonly rateListsPerSec!: number;
  readonly listMaxBytes!: number;
  readonly maxConnectionBufferBytes!: number;
  readonly joinTimeoutSec!: number;
  readonly maxMembersPerRoom!: number;
  readonly memberReclaimSec!: number;
  readonly allowedOrigins!: string[];
  readonly logLevel!: AppConfigValues['logLevel'];
  readonly metricsToken?: string;
  readonly shutdownGraceSec!: number;
  readonly trustProxy!: false | number | string;
  readonly fastPaths!: boolean;
  readonly maxConnectionsPerIp!: number;
  readonly maxConnections!: number;
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
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  openFileLimit: number = readOpenFileLimit(),
): AppConfig {
  const parsed = envSchema(openFileLimit).safeParse(env);
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
    redisClusterNodes: (e.REDIS_CLUSTER_NODES ?? '')
      .split(',')
      .map((node) => node.trim())
      .filter((node) => node !== '')
      .map((node) => {
        const at = node.lastIndexOf(':');
        return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
      }),
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    instanceTimeoutSec: e.INSTANCE_TIMEOUT_SEC,
    redisWaitReplicas: e.REDIS_WAIT_REPLICAS,
    redisWaitTimeoutMs: e.REDIS_WAIT_TIMEOUT_MS,
    rateRoomsPerMin: e.RATE_ROOMS_PER_MIN,
    rateMessagesPerSec: e.RATE_MESSAGES_PER_SEC,
    rateMessagesBurst: Math.max(e.RATE_MESSAGES_BURST, e.RATE_MESSAGES_PER_SEC),
    rateJoinsPerMin: e.RATE_JOINS_PER_MIN,
    rateJoinsPerIpPerMin: e.RATE_JOINS_PER_IP_PER_MIN,
    rateMessagesPerIpPerSec: e.RATE_MESSAGES_PER_IP_PER_SEC,
    rateListsPerSec: e.RATE_LISTS_PER_SEC,
    listMaxBytes: e.LIST_MAX_BYTES,
    maxConnectionBufferBytes: e.MAX_CONNECTION_BUFFER_BYTES,
    joinTimeoutSec: e.JOIN_TIMEOUT_SEC,
    maxMembersPerRoom: e.MAX_MEMBERS_PER_ROOM,
    memberReclaimSec: e.MEMBER_RECLAIM_SEC,
    allowedOrigins: e.ALLOWED_ORIGINS,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    shutdownGraceSec: e.SHUTDOWN_GRACE_SEC,
    trustProxy: e.TRUST_PROXY,
    fastPaths: e.FAST_PATHS === 'on',
    maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP,
    maxConnections: e.MAX_CONNECTIONS,
    auth: authSettingsOf(e),
  });
}
