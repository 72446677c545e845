/** Starts the real app (HTTP + socket.io) on a free loopback port, and connects real socket.io clients. */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type {
  ClientToServerEvents,
  JoinResult,
  Message,
  RoomSummary,
  ServerToClientEvents,
} from '@tiny-chat/shared-types';
import { io, Socket } from 'socket.io-client';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/bootstrap';
import { Clock, FakeClock } from '../../src/common/clock';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { requireRedisUrl } from '../../src/testing/redis-url';

export type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  app: NestExpressApplication;
  url: string;
  config: AppConfig;
  clock?: FakeClock;
  clients: ChatClient[];
  connect(): Promise<ChatClient>;
  createRoom(): Promise<RoomSummary>;
  close(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}, clock?: FakeClock): Promise<TestServer> {
  // Flood limits are off unless a test turns them on: most tests send far faster than a person.
  const config = loadConfig({
    WEB_ROOT: '/nonexistent',
    RATE_ROOMS_PER_MIN: '0',
    RATE_MESSAGES_PER_SEC: '0',
    RATE_JOINS_PER_MIN: '0',
    MAX_CONNECTIONS_PER_IP: '0',
    // The socket suites run once with the fast paths on and once more with FAST_PATHS=off (nx run api:e2e-fast-paths-off).
    FAST_PATHS: process.env['FAST_PATHS'] ?? 'on',
    ...env,
  });
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config);
  if (clock) builder = builder.overrideProvider(Clock).useValue(clock);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: ['error', 'warn'] });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const clients: ChatClient[] = [];
  return {
    app,
    url,
    config,
    clock,
    clients,
    async connect() {
      const client: ChatClient = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
      clients.push(client);
      await new Promise<void>((resolve, reject) => {
        client.once('connect', resolve);
        client.once('connect_error', reject);
      });
      return client;
    },
    async createRoom() {
      const response = await fetch(`${url}/api/rooms`, { method: 'POST' });
      if (response.status !== 201) throw new Error(`create failed: ${response.status}`);
      return (await response.json()) as RoomSummary;
    },
    async close() {
      for (const client of clients) client.disconnect();
      await app.close();
    },
  };
}

/** Environment for a server on the given store; Redis servers get a key prefix of their own. */
export function storeEnv(store: 'memory' | 'redis' | string, env: Record<string, string> = {}): Record<string, string> {
  if (store !== 'redis') return env;
  return {
    STORE: 'redis',
    REDIS_URL: requireRedisUrl(),
    REDIS_KEY_PREFIX: `t:${Date.now()}:${Math.random().toString(36).slice(2)}:`,
    ...env,
  };
}

/** A room whose owner has sent one message, 'kept': bad-input tests check it stays the only one. */
export async function roomWithKeptMessage(server: TestServer): Promise<{ roomId: string; userToken: string }> {
  const { roomId } = await server.createRoom();
  const owner = await server.connect();
  const { userToken } = await join(owner, roomId, 'owner');
  await owner.emitWithAck('message:send', { roomId, userToken, text: 'kept' });
  return { roomId, userToken };
}

/** Joins and fails the test on an error ack. */
export async function join(client: ChatClient, roomId: string, nick: string): Promise<JoinResult> {
  const ack = await client.emitWithAck('room:join', { roomId, nick });
  if (!ack.ok) throw new Error(`join failed: ${ack.error.code}`);
  return ack.data;
}

/** Collects every message:new a client receives. */
export function collectMessages(client: ChatClient): Message[] {
  const received: Message[] = [];
  client.on('message:new', (message) => received.push(message));
  return received;
}

/** Resolves when the predicate holds, polling briefly; rejects after the timeout. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function nextEvent<E extends keyof ServerToClientEvents>(
  client: ChatClient,
  event: E,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${String(event)} within ${timeoutMs} ms`)), timeoutMs);
    const handler = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    };
    (client as unknown as { once(e: string, h: (p: unknown) => void): void }).once(
      event,
      handler as (p: unknown) => void,
    );
  });
}
