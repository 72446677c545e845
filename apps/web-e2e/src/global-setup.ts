/**
 * Starts three real API servers (built dist/apps/api serving dist/apps/web) on free loopback ports:
 * a normal one, one whose rooms close after 2 s idle, and one with a tight message flood limit (2 per second,
 * bursts of 5), and makes sure of a Redis for the test that reads its keys. Tests read their URLs from the environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`API server exited early (${child.exitCode}):\n${log()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`API server at ${url} did not become healthy:\n${log()}`);
}

/**
 * The Redis that the encrypted-room test reads: REDIS_URL when set (npm test starts one for every suite), else a
 * redis-server of its own on a free loopback port, stopped at teardown.
 */
async function ensureRedis(): Promise<ChildProcess | null> {
  if (process.env['REDIS_URL']) return null;
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const started = await new Promise<boolean>((done) => {
    child.once('error', () => done(false));
    const probe = setInterval(() => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        clearInterval(probe);
        done(true);
      });
      socket.once('error', () => socket.destroy());
    }, 100);
  });
  if (!started)
    throw new Error('redis-server could not be started: install it (scripts/ensure-system-deps.sh) or set REDIS_URL');
  process.env['REDIS_URL'] = `redis://127.0.0.1:${port}`;
  return child;
}

/** Starts the built API (memory store unless told otherwise) on `port`, or on a free one; resolves once healthy. */
export async function startServer(
  extraEnv: Record<string, string>,
  port?: number,
): Promise<{ url: string; child: ChildProcess }> {
  port ??= await freePort();
  const child = spawn(process.execPath, ['dist/apps/api/main.js'], {
    cwd: ROOT,
    // Many rooms and fast sends from one address: the flood limits are tested by the API suites, not here.
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      RATE_ROOMS_PER_MIN: '0',
      RATE_JOINS_PER_MIN: '0',
      RATE_JOINS_PER_IP_PER_MIN: '0',
      RATE_MESSAGES_PER_IP_PER_SEC: '0',
      RATE_MESSAGES_PER_SEC: '0',
      // Every browser context of the run connects from 127.0.0.1 and stays open until the run ends.
      MAX_CONNECTIONS_PER_IP: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child, () => output);
  return { url, child };
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const built of ['dist/apps/api/main.js', 'dist/apps/web/browser/index.html']) {
    if (!existsSync(resolve(ROOT, built))) {
      throw new Error(`${built} is missing: build first (npx nx run-many -t build --projects=api,web)`);
    }
  }
  const redis = await ensureRedis();
  const main = await startServer({});
  const idle = await startServer({ ROOM_IDLE_TIMEOUT_SEC: '2', CLEANUP_INTERVAL_SEC: '1' });
  const limited = await startServer({ RATE_MESSAGES_PER_SEC: '2', RATE_MESSAGES_BURST: '5' });
  process.env['E2E_BASE_URL'] = main.url;
  process.env['E2E_IDLE_URL'] = idle.url;
  process.env['E2E_LIMITED_URL'] = limited.url;
  return async () => {
    redis?.kill('SIGTERM');
    for (const child of [main.child, idle.child, limited.child]) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      }
    }
  };
}
