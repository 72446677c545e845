// The Redis step's own redis-server: when REDIS_URL is not set but redis-server is installed, the bench starts one
// on a free loopback port, on the server core (it is part of the server side), and stops it when the bench exits.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisStats } from './redis-probe.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function which(binary) {
  try {
    return execFileSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sets process.env.REDIS_URL to a redis-server of the bench's own when none is given and one can be started.
 * @param {number | undefined} core the core to pin it to (taskset), if pinning is possible
 * @returns {Promise<string | undefined>} what happened, for the log
 */
export async function provideRedis(core) {
  if (process.env.REDIS_URL) return `Redis step on REDIS_URL=${process.env.REDIS_URL}`;
  const binary = which('redis-server');
  if (!binary) return undefined;
  const port = await freePort();
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'];
  const taskset = core === undefined ? undefined : which('taskset');
  const child = taskset
    ? spawn(taskset, ['-c', String(core), binary, ...args], { stdio: 'ignore' })
    : spawn(binary, args, { stdio: 'ignore' });
  // Not keeping the bench alive: it is killed when the bench exits.
  child.unref();
  process.on('exit', () => child.kill('SIGKILL'));
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await redisStats(url)) {
      process.env.REDIS_URL = url;
      return `Redis step on its own redis-server (${url})`;
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  return 'redis-server did not start: Redis step skipped';
}
