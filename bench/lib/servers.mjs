// The servers under test: how each one starts (pinned to the server core), gets its rooms, and stops.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from './proc.mjs';
import { RawMember, SocketIoMember } from './wire.mjs';

export const SERVER_CORE = 0;
export const GENERATOR_CORE = 1;
const START_TIMEOUT_MS = 30_000;
const HOOKS = fileURLToPath(new URL('../tools/server-hooks.cjs', import.meta.url));

/** Every server process this run started, so that none outlives it (also on failure). */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
// Interrupted runs end through process.exit too, so the 'exit' handler above still stops the servers.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(130));

/**
 * @typedef {object} Target
 * @property {string} key
 * @property {string} label
 * @property {typeof RawMember} MemberClass
 * @property {(port: number) => { args: string[], nodeFlags?: string[], env?: Record<string, string | undefined> }} command
 * @property {(baseUrl: string, count: number) => Promise<string[]>} createRooms
 * @property {boolean} [usesRedis] its store is the Redis at REDIS_URL (counted in its CPU per delivery)
 * @property {string} [skipReason] set when the target cannot run here
 */

const namedRooms = async (_baseUrl, count) => Array.from({ length: count }, (_, i) => `room-${i}`);

/** tiny-chat rooms come from its REST API, like a browser's. */
export async function tinyChatRooms(baseUrl, count) {
  const ids = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${baseUrl.replace('ws:', 'http:')}/api/rooms`, { method: 'POST' });
    if (response.status !== 201)
      throw new Error(`POST /api/rooms answered ${response.status}: ${await response.text()}`);
    ids.push((await response.json()).roomId);
  }
  return ids;
}

/** Configuration for tiny-chat under load: loopback only, no rate limits, room and member caps out of the way. */
export function tinyChatEnv(port) {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    MAX_ROOMS: '100000',
    MAX_MEMBERS_PER_ROOM: '1000',
    RATE_MESSAGES_PER_SEC: '0',
    RATE_JOINS_PER_MIN: '0',
    RATE_JOINS_PER_IP_PER_MIN: '0',
    RATE_MESSAGES_PER_IP_PER_SEC: '0',
    RATE_LISTS_PER_SEC: '0',
    JOIN_TIMEOUT_SEC: '0',
    MAX_CONNECTIONS_PER_IP: '0',
    RATE_ROOMS_PER_MIN: '0',
  };
}

/** The node flags `npm start` runs the API with (package.json `config.apiNodeFlags`): the bench runs it the same way. */
export function apiNodeFlags(root) {
  const flags = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).config?.apiNodeFlags ?? '';
  return flags.split(/\s+/).filter(Boolean);
}

/**
 * Every server of a run, in the order of the table. Two ceilings over raw `ws`: the naive one sends each member its
 * own copy of the frame (ws.send per member), the batched one builds the frame once and writes it with one corked
 * write per connection per turn, as tiny-chat's broadcast does; tiny-chat is reported against both. tiny-chat runs
 * twice per store, with its fast paths (the default) and with FAST_PATHS=off (the stock socket.io paths), so that
 * the gain each costs is visible.
 * @returns {Target[]}
 */
export function targets(root) {
  const api = join(root, 'dist/apps/api/main.js');
  const nodeFlags = apiNodeFlags(root);
  const redisUrl = process.env.REDIS_URL;
  const rawWs = (key, label, file) => ({
    key,
    label,
    MemberClass: RawMember,
    command: (port) => ({ args: [join(root, 'bench/servers', file), String(port)] }),
    createRooms: namedRooms,
  });
  const tinyChat = (key, label, env) => ({
    key,
    label,
    MemberClass: SocketIoMember,
    command: (port) => ({ args: [api], nodeFlags, env: { ...tinyChatEnv(port), ...env } }),
    createRooms: tinyChatRooms,
  });
  // OPTIONAL: the Redis ones run only when REDIS_URL points at a Redis the run may use (tiny-chat's STORE=redis mode).
  const tinyChatRedis = (key, label, env) => ({
    ...tinyChat(key, label, { STORE: 'redis', REDIS_URL: redisUrl ?? '', ...env }),
    usesRedis: true,
    skipReason: redisUrl ? undefined : 'REDIS_URL is not set',
  });
  return [
    rawWs('raw-ws', 'raw ws (naive ceiling)', 'raw-ws.mjs'),
    rawWs('raw-ws-batched', 'raw ws batched (ceiling)', 'raw-ws-batched.mjs'),
    {
      key: 'socketio',
      label: 'plain socket.io',
      MemberClass: SocketIoMember,
      command: (port) => ({ args: [join(root, 'bench/servers/plain-socketio.mjs'), String(port)] }),
      createRooms: namedRooms,
    },
    // FAST_PATHS unset for the default ones, whatever the bench's own environment says (undefined: not passed on).
    tinyChat('tiny-chat', 'tiny-chat (memory)', { FAST_PATHS: undefined }),
    tinyChat('tiny-chat-fast-paths-off', 'tiny-chat (memory, FAST_PATHS=off)', { FAST_PATHS: 'off' }),
    tinyChatRedis('tiny-chat-redis', 'tiny-chat (redis, optional)', { FAST_PATHS: undefined }),
    tinyChatRedis('tiny-chat-redis-fast-paths-off', 'tiny-chat (redis, FAST_PATHS=off)', { FAST_PATHS: 'off' }),
  ];
}

export function apiIsBuilt(root) {
  return existsSync(join(root, 'dist/apps/api/main.js'));
}

function accepting(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts a target pinned to the server core (`taskset -c 0`) on a free loopback port and waits until it accepts
 * connections. The returned handle's `pid` is the node process itself (taskset execs it). `nodeFlags` go to node
 * before the script, after the target's own (the same for every target of a step).
 */
export async function startServer(target, options) {
  try {
    return await startOnce(target, options);
  } catch (error) {
    // The free port may have been taken between the probe and the bind: one more try on another port.
    if (!(error instanceof ExitedEarly)) throw error;
    return startOnce(target, options);
  }
}

class ExitedEarly extends Error {}

async function startOnce(target, { pin, profileDir, nodeFlags = [] }) {
  const port = await freePort();
  const { args, nodeFlags: targetFlags = [], env } = target.command(port);
  const profiling = profileDir
    ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${target.key}-${port}.cpuprofile`]
    : [];
  // The step's flags come after the target's own, so that they win where both set the same one.
  const nodeArgv = ['--expose-gc', ...targetFlags, ...nodeFlags, '-r', HOOKS, ...profiling, ...args];
  const command = pin ? 'taskset' : process.execPath;
  const argv = pin ? ['-c', String(SERVER_CORE), process.execPath, ...nodeArgv] : nodeArgv;
  const child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  /** The hook's latest answer per kind (tools/server-hooks.cjs) and how many have come. */
  const answers = new Map();
  const keep = (chunk) => {
    const text = chunk.toString();
    for (const [, kind, json] of text.matchAll(/(BENCH_GC_DONE|BENCH_GC_STATS) (\{.*\})/g)) {
      answers.set(kind, { count: (answers.get(kind)?.count ?? 0) + 1, value: JSON.parse(json) });
    }
    output = (output + text).slice(-4000);
  };
  /** Sends the hook `signal` and waits up to `timeoutMs` for its next `kind` line: that line's JSON, or null. */
  const ask = async (signal, kind, timeoutMs) => {
    const count = () => answers.get(kind)?.count ?? 0;
    const before = count();
    child.kill(signal);
    const deadline = Date.now() + timeoutMs;
    while (count() === before && Date.now() < deadline) await sleep(10);
    return count() > before ? answers.get(kind).value : null;
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(child);
      resolve(exited);
    });
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await accepting(port))) {
    if (exited)
      throw new ExitedEarly(`${target.label} exited (${JSON.stringify(exited)}) before listening:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${target.label} did not listen on ${port} within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await sleep(100);
  }
  return {
    port,
    pid: child.pid,
    baseUrl: `ws://127.0.0.1:${port}`,
    output: () => output,
    isAlive: () => exited === null,
    /** A full, compacting GC in the server; its memoryUsage() after it, or null after 10 s. */
    collectGarbage: () => ask('SIGWINCH', 'BENCH_GC_DONE', 10_000),
    /** The server's garbage collections so far, by kind, with their pauses, or null after 2 s. */
    gcStats: () => ask('SIGUSR2', 'BENCH_GC_STATS', 2000),
    /** SIGTERM (SIGINT when profiling, so the profile is written), then SIGKILL if it has not exited after a while. */
    async stop() {
      if (exited) return;
      child.kill(profileDir ? 'SIGINT' : 'SIGTERM');
      const timeout = sleep(profileDir ? 15_000 : 3000).then(() => 'timeout');
      if ((await Promise.race([exit, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exit;
      }
    },
  };
}
