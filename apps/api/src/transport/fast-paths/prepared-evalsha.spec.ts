import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createServer, Server, Socket } from 'node:net';
import { PreparedScript } from './prepared-evalsha';
import { requireRedisUrl } from '../../testing/redis-url';

/** Echoes its keys and arguments, and counts its runs in its first key. */
const ECHO = `redis.call('INCR', KEYS[1]) return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4]}`;

describe('PreparedScript (real redis-server)', () => {
  let redis: Redis;

  beforeEach(() => {
    redis = new Redis(requireRedisUrl(), { enableOfflineQueue: true });
  });
  afterEach(() => redis.disconnect());

  it('sends keys and arguments byte for byte (multi-byte text, numbers, empty strings) and answers the reply', async () => {
    const script = new PreparedScript(ECHO, 2);
    const counter = `prepared:${randomUUID()}`;
    await redis.script('LOAD', ECHO);
    const fallback = jest.fn(() => Promise.resolve(['fallback']));
    const reply = await script.run(redis, [counter, 'k:é'], ['héllo 👋 \r\n$3', 42, '', 'x'.repeat(5000)], fallback);
    expect(reply).toEqual([counter, 'k:é', 'héllo 👋 \r\n$3', '42', '', 'x'.repeat(5000)]);
    expect(fallback).not.toHaveBeenCalled();
    expect(await redis.get(counter)).toBe('1');
  });

  it('answers through the fallback, and runs nothing twice, when Redis does not know the script (NOSCRIPT)', async () => {
    const script = new PreparedScript(ECHO, 2);
    const counter = `prepared:${randomUUID()}`;
    await redis.script('FLUSH');
    const fallback = jest.fn(async () => {
      // What ioredis' defined command does: the script itself goes to Redis (and stays loaded there).
      await redis.script('LOAD', ECHO);
      return redis.evalsha(script.sha, 2, counter, 'k', 'via fallback', '', '', '');
    });
    expect(await script.run(redis, [counter, 'k'], ['a', 'b', 'c', 'd'], fallback)).toEqual([
      counter,
      'k',
      'via fallback',
      '',
      '',
      '',
    ]);
    expect(fallback).toHaveBeenCalledTimes(1);
    // Loaded now: the next call needs no fallback, and the script ran once per call.
    expect(await script.run(redis, [counter, 'k'], ['a', 'b', 'c', 'd'], fallback)).toEqual([
      counter,
      'k',
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(await redis.get(counter)).toBe('2');
  });

  it('refuses a call with the wrong number of keys before sending anything', async () => {
    const script = new PreparedScript(ECHO, 2);
    await expect(script.run(redis, ['only-one'], [], () => Promise.resolve([]))).rejects.toThrow('expected 2 keys');
  });

  it('passes Redis errors other than NOSCRIPT on to the caller', async () => {
    const failing = `return redis.error_reply('BOOM ${randomUUID()}')`;
    const script = new PreparedScript(failing, 0);
    await redis.script('LOAD', failing);
    const fallback = jest.fn(() => Promise.resolve('fallback'));
    await expect(script.run(redis, [], [], fallback)).rejects.toThrow('BOOM');
    expect(fallback).not.toHaveBeenCalled();
  });
});

describe('PreparedScript timeouts (a server that never answers)', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let received = '';

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (data) => (received += data.toString()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails a command with "Command timed out" once the client’s command timeout has passed', async () => {
    const address = server.address() as { port: number };
    const client = new Redis({
      host: '127.0.0.1',
      port: address.port,
      commandTimeout: 150,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
    });
    try {
      await new Promise((resolve) => client.once('ready', resolve));
      const script = new PreparedScript('return 1', 0);
      const started = performance.now();
      await expect(script.run(client, [], [], () => Promise.resolve(1))).rejects.toThrow('Command timed out');
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(145);
      expect(waited).toBeLessThan(1000);
      // The hung server did receive the command, as EVALSHA with the script's SHA.
      expect(sockets.length).toBe(1);
      expect(received).toContain(`EVALSHA\r\n$40\r\n${script.sha}\r\n$1\r\n0\r\n`);
    } finally {
      client.disconnect();
    }
  });
});
