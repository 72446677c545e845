/** Real API processes (the production build) and real redis-servers, for the scale-out and fault tests. */
import type { ClientToServerEvents, ServerToClientEvents } from '@tiny-chat/shared-types';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { io, Socket } from 'socket.io-client';

export type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;

const MAIN = join(__dirname, '../../../../dist/apps/api/main.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    server.on('error', reject);
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ApiInstance {
  url: string;
  process: ChildProcess;
  /** Where its stdout and stderr go (JSON log lines). */
  logFile: string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `nodeArgs` go before the script (e.g. a `--require` preload). `env.PORT` picks the port (when the URL must be
 * known beforehand, e.g. for PUBLIC_URL); otherwise a free one is used.
 */
export async function startInstance(env: Record<string, string>, nodeArgs: string[] = []): Promise<ApiInstance> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the API first (npx nx build api)`);
  const port = env['PORT'] !== undefined ? Number(env['PORT']) : await freePort();
  const logFile = join(__dirname, '../../../../dist', `api-instance-${port}.log`);
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      WEB_ROOT: '/nonexistent',
      RATE_ROOMS_PER_MIN: '0',
      RATE_MESSAGES_PER_SEC: '0',
      RATE_JOINS_PER_MIN: '0',
      RATE_JOINS_PER_IP_PER_MIN: '0',
      RATE_MESSAGES_PER_IP_PER_SEC: '0',
      RATE_LISTS_PER_SEC: '0',
      JOIN_TIMEOUT_SEC: '0',
      MAX_CONNECTIONS_PER_IP: '0',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(async () => (await fetch(`${url}/api/health`)).ok, 15_000, `instance on ${port}`);
  return {
    url,
    process: child,
    logFile,
    kill: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** POST /api/rooms on the instance (no body); fails the test unless 201. Answers the new room's id. */
export async function createRoomOn(instance: { url: string }): Promise<string> {
  const response = await fetch(`${instance.url}/api/rooms`, { method: 'POST' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { roomId: string }).roomId;
}

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A redis-server of the test's own, which it may stop and start again on the same port. */
export async function startRedis(extraArgs: string[] = []): Promise<RedisServer> {
  const binary = execFileSync('sh', ['-c', 'command -v redis-server']).toString().trim();
  const port = await freePort();
  let child: ChildProcess | undefined;
  const ping = async () => {
    const { createConnection } = await import('node:net');
    return new Promise<boolean>((resolve) => {
      const socket = createConnection(port, '127.0.0.1', () => socket.write('PING\r\n'));
      socket.on('data', (d) => {
        socket.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
      socket.on('error', () => resolve(false));
    });
  };
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn(
        binary,
        ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', ...extraArgs],
        {
          stdio: 'ignore',
        },
      );
      await waitUntil(ping, 10_000, `redis on ${port}`);
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      });
    },
  };
  await server.start();
  return server;
}

/** A socket.io client over WebSocket; `localAddress` (a 127.0.0.x) makes it another client address. */
export async function connectTo(url: string, localAddress?: string): Promise<ChatClient> {
  const client: ChatClient = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(localAddress ? { localAddress } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  return client;
}
