/**
 * Each fast path (src/transport/fast-paths) against a dependency whose private field it relies on was renamed, as a
 * patch release may do: the production build runs with a preload that renames the field consistently inside the
 * dependency as it loads. The server must log one warning naming the trick, and serve exactly as before: one order
 * for concurrent senders, acks, catch-up after a reconnect, idempotent resend, no crash.
 */
import type { Message } from '@tiny-chat/shared-types';
import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { io } from 'socket.io-client';
import { requireRedisUrl } from '../src/testing/redis-url';
import { ApiInstance, ChatClient, connectTo, startInstance } from './support/instances';
import { collectMessages, join, waitFor } from './support/test-server';

const PRELOAD = joinPath(__dirname, 'support', 'rename-private-fields.cjs');

/** A field renamed everywhere in a package; `pattern` (a regular expression) where only some uses are that field. */
interface Rename {
  package: string;
  field: string;
  pattern?: string;
}

function renamed(field: string): string {
  return `${field}RenamedByAPatchRelease`;
}

/** The field where it follows `before` (e.g. `this.` or `conn.`): not a module name or another object's field. */
const after = (before: string, field: string) => `(?<=${before.replace(/\./g, '\\.')})${field}(?![\\w$])`;

async function serverWith(renames: Rename[], store: 'memory' | 'redis'): Promise<ApiInstance> {
  const redis: Record<string, string> = store === 'redis' ? { STORE: 'redis', REDIS_URL: requireRedisUrl() } : {};
  return startInstance(
    {
      ...redis,
      REDIS_KEY_PREFIX: `fp:${Date.now()}:${Math.random().toString(36).slice(2)}:`,
      FAST_PATHS: 'on',
      TC_RENAME_FIELDS: JSON.stringify(renames.map((r) => ({ ...r, to: renamed(r.field) }))),
    },
    ['--require', PRELOAD],
  );
}

/** The log lines that say a fast path was turned off, as `name: reason`. */
function disabledFastPaths(instance: ApiInstance): string[] {
  return readFileSync(instance.logFile, 'utf8')
    .split('\n')
    .map((line) => /"msg":"fast path (\S+) disabled: ([^"]*)"/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `${match[1]}: ${match[2]}`);
}

async function createRoom(url: string): Promise<string> {
  const response = await fetch(`${url}/api/rooms`, { method: 'POST' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { roomId: string }).roomId;
}

/** A client that starts on long-polling and upgrades to WebSocket (what browsers without a cached upgrade do). */
async function connectUpgrading(url: string): Promise<ChatClient> {
  const client: ChatClient = io(url, { transports: ['polling', 'websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve) => client.io.engine.once('upgrade', () => resolve()));
  return client;
}

/** Chats as people would and checks every promise the server makes about it. */
async function servesCorrectly(url: string, clients: ChatClient[]): Promise<void> {
  const roomId = await createRoom(url);
  const ann = await connectTo(url);
  const bob = await connectUpgrading(url);
  clients.push(ann, bob);
  const annToken = (await join(ann, roomId, 'ann')).userToken;
  const bobToken = (await join(bob, roomId, 'bob')).userToken;
  const inboxes = [collectMessages(ann), collectMessages(bob)];
  const acks = await Promise.all(
    Array.from({ length: 20 }, (_, n) => [
      ann.emitWithAck('message:send', { roomId, userToken: annToken, text: `a${n}`, clientMsgId: `a${n}` }),
      bob.emitWithAck('message:send', { roomId, userToken: bobToken, text: `b${n}` }),
    ]).flat(),
  );
  expect(acks.filter((ack) => !ack.ok)).toEqual([]);
  await waitFor(() => inboxes.every((inbox) => inbox.length >= 40), 5000, '40 deliveries to each');
  const ids = (inbox: Message[]) => inbox.map((message) => message.id);
  expect(ids(inboxes[0]!)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  expect(inboxes[1]).toEqual(inboxes[0]);

  // Catch-up: Bob's connection drops, Ann sends on, Bob comes back with his token and lists what he missed.
  bob.disconnect();
  for (let n = 0; n < 5; n++)
    expect(await ann.emitWithAck('message:send', { roomId, userToken: annToken, text: `late${n}` })).toMatchObject({
      ok: true,
    });
  const again = await connectTo(url);
  clients.push(again);
  expect(await again.emitWithAck('room:join', { roomId, userToken: bobToken })).toMatchObject({ ok: true });
  const page = await again.emitWithAck('message:list', { roomId, userToken: bobToken, afterId: 40 });
  expect(page.ok && page.data.messages.map((message) => message.text)).toEqual([
    'late0',
    'late1',
    'late2',
    'late3',
    'late4',
  ]);

  // An idempotent resend stores and delivers nothing new.
  const resend = await ann.emitWithAck('message:send', { roomId, userToken: annToken, text: 'a3', clientMsgId: 'a3' });
  const original = inboxes[0]!.find((message) => message.clientMsgId === 'a3');
  expect(resend).toMatchObject({ ok: true, data: { message: { id: original?.id, text: 'a3' } } });
  const health = await fetch(`${url}/api/health`);
  expect(health.status).toBe(200);
}

describe('fast paths against dependencies whose private fields were renamed', () => {
  const clients: ChatClient[] = [];
  let instance: ApiInstance | undefined;
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await instance?.kill('SIGKILL');
    instance = undefined;
  });

  const cases: Array<{ trick: string; renames: Rename[]; store: 'memory' | 'redis'; why: string }> = [
    {
      trick: 'shared-frame',
      renames: [{ package: 'ws', field: '_queue' }],
      store: 'memory',
      why: "ws Sender's `_queue`",
    },
    {
      trick: 'shared-frame',
      renames: [{ package: 'ws', field: '_queue' }],
      store: 'redis',
      why: "ws Sender's `_queue`",
    },
    {
      trick: 'corked-websocket-writes',
      renames: [{ package: 'ws', field: '_socket' }],
      store: 'memory',
      why: "ws WebSocket's `_socket`",
    },
    {
      trick: 'prepared-evalsha',
      renames: [{ package: 'ioredis', field: 'toWritable' }],
      store: 'redis',
      why: "ioredis Command's `toWritable`",
    },
    {
      trick: 'corked-redis-writes',
      renames: [{ package: 'ioredis', field: 'stream', pattern: after('.', 'stream') }],
      store: 'redis',
      why: "ioredis' `stream`",
    },
    {
      trick: 'release-upgrade-request',
      renames: [
        { package: 'engine.io', field: 'request', pattern: after('this.', 'request') },
        { package: 'socket.io', field: 'request', pattern: after('conn.', 'request') },
      ],
      store: 'memory',
      why: "engine.io Socket's `request`",
    },
    {
      trick: 'compact-maps',
      renames: [{ package: 'socket.io', field: 'acks' }],
      store: 'memory',
      why: "socket.io's `acks`",
    },
    {
      trick: 'exact-size-arrays',
      renames: [{ package: '@socket.io/component-emitter', field: '_callbacks' }],
      store: 'memory',
      why: "the decoder's `_callbacks`",
    },
    {
      trick: 'exact-size-arrays',
      renames: [{ package: 'socket.io', field: '_anyListeners' }],
      store: 'memory',
      why: "socket.io Socket's `_anyListeners`",
    },
  ];

  it.each(cases)(
    '$trick with $why renamed ($store): one warning, and the server serves correctly',
    async (c) => {
      instance = await serverWith(c.renames, c.store);
      await servesCorrectly(instance.url, clients);
      const warnings = disabledFastPaths(instance).filter((line) => line.startsWith(`${c.trick}:`));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(c.renames[0]!.field);
      expect(instance.process.exitCode).toBeNull();
    },
    30_000,
  );

  it('with nothing renamed, no fast path is turned off', async () => {
    instance = await serverWith([], 'redis');
    await servesCorrectly(instance.url, clients);
    expect(disabledFastPaths(instance)).toEqual([]);
  }, 30_000);
});
