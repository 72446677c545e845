import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

const MAIN = join(__dirname, '../../../dist/apps/api/main.js');

function startWith(env: Record<string, string>) {
  return spawnSync(process.execPath, [MAIN], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 15_000 });
}

describe('start-up configuration check (production build)', () => {
  it('refuses to start on bad values and names each bad variable', () => {
    expect(existsSync(MAIN)).toBe(true);
    const result = startWith({ PORT: 'eighty', MAX_ROOMS: '-1', STORE: 'mongo', ALLOWED_ORIGINS: 'evil' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    for (const name of ['PORT', 'MAX_ROOMS', 'STORE', 'ALLOWED_ORIGINS']) expect(result.stderr).toContain(name);
    expect(result.stdout).not.toContain('listening');
  });

  it('refuses TRUST_PROXY=true with a message naming TRUST_PROXY and saying what to write instead', () => {
    const result = startWith({ PORT: '0', HOST: '127.0.0.1', STORE: 'memory', TRUST_PROXY: 'true' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('TRUST_PROXY');
    expect(result.stderr).toMatch(/number of proxies in front of the server .*addresses/);
    expect(result.stdout).not.toContain('listening');
  });

  it('refuses bad values of the hostile-client limits, naming each', () => {
    const limits = {
      MEMBER_RECLAIM_SEC: '-1',
      RATE_JOINS_PER_IP_PER_MIN: 'lots',
      RATE_MESSAGES_PER_IP_PER_SEC: '2.5',
      RATE_LISTS_PER_SEC: '-3',
      LIST_MAX_BYTES: '256KiB',
      MAX_CONNECTION_BUFFER_BYTES: '1e99',
      JOIN_TIMEOUT_SEC: 'never',
    };
    const result = startWith({ PORT: '0', HOST: '127.0.0.1', STORE: 'memory', ...limits });
    expect(result.status).toBe(1);
    for (const name of Object.keys(limits)) expect(result.stderr).toMatch(new RegExp(`${name} must be an integer`));
    expect(result.stdout).not.toContain('listening');
  });

  it('refuses MAX_CONNECTIONS above the open-file limit, naming it and the limit', () => {
    const result = startWith({ PORT: '0', HOST: '127.0.0.1', STORE: 'memory', MAX_CONNECTIONS: '99999999' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/MAX_CONNECTIONS must be an integer from 1 to \d+ \(the open-file limit/);
  });

  it.each([
    [{ AUTH_MODE: 'saml' }, ['AUTH_MODE']],
    [{ AUTH_MODE: 'oidc' }, ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'PUBLIC_URL', 'SESSION_SECRET']],
    [{ ROOMS_REQUIRE_LOGIN: 'true' }, ['ROOMS_REQUIRE_LOGIN', 'AUTH_MODE=oidc']],
    [
      {
        AUTH_MODE: 'oidc',
        OIDC_ISSUER: 'http://id.example.com',
        OIDC_CLIENT_ID: 'c',
        OIDC_CLIENT_SECRET: 's',
        PUBLIC_URL: 'https://chat.example.com',
        SESSION_SECRET: 'too short',
      },
      ['OIDC_ISSUER must use https', 'SESSION_SECRET must have at least 32 characters'],
    ],
  ])('refuses bad sign-in settings %j, naming the variables', (env: Record<string, string>, names: string[]) => {
    const result = startWith({ PORT: '0', HOST: '127.0.0.1', STORE: 'memory', ...env });
    expect(result.status).toBe(1);
    for (const name of names) expect(result.stderr).toContain(name);
    expect(result.stdout).not.toContain('listening');
  });

  it('exits 1 and says why when its port is taken, instead of ending silently', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const result = startWith({ PORT: String(port), HOST: '127.0.0.1', STORE: 'memory' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('tiny-chat failed to start');
      expect(result.stderr).toContain('EADDRINUSE');
    } finally {
      blocker.close();
    }
  });

  it('refuses a Redis older than 7.0 at start, naming the version it found', async () => {
    const old = await fakeRedis('6.2.14');
    try {
      const { port } = old.address() as AddressInfo;
      const result = await startAsync({
        PORT: '0',
        HOST: '127.0.0.1',
        STORE: 'redis',
        REDIS_URL: `redis://127.0.0.1:${port}`,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('tiny-chat failed to start');
      expect(result.stderr).toContain('Redis 7.0 or newer is needed (sharded pub/sub), found 6.2.14');
      expect(result.stdout).not.toContain('listening');
    } finally {
      old.close();
    }
  });
});

/** Runs the server without blocking this process (the fake Redis below must keep answering). */
function startAsync(env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * A loopback server speaking just enough RESP to pass for a Redis of `version`: INFO reports it, PING and SUBSCRIBE
 * answer as Redis does, anything else gets +OK. (No Redis older than 7.0 is installed here to test against.)
 */
async function fakeRedis(version: string): Promise<Server> {
  const info = `# Server\r\nredis_version:${version}\r\nredis_mode:standalone\r\nloading:0\r\n`;
  const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
  const reply = (args: string[]): string => {
    switch ((args[0] ?? '').toUpperCase()) {
      case 'INFO':
        return bulk(info);
      case 'PING':
        return '+PONG\r\n';
      case 'SUBSCRIBE':
        return args
          .slice(1)
          .map((channel, i) => `*3\r\n${bulk('subscribe')}${bulk(channel)}:${i + 1}\r\n`)
          .join('');
      default:
        return '+OK\r\n';
    }
  };
  const server = createServer((socket: Socket) => {
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      // Commands arrive as arrays of bulk strings: *<n> then n times $<len> <value>.
      for (;;) {
        const lines = pending.split('\r\n');
        const count = Number(lines[0]?.slice(1));
        if (!lines[0]?.startsWith('*') || lines.length < 2 * count + 2) return;
        const args = Array.from({ length: count }, (_, i) => lines[2 + 2 * i] ?? '');
        pending = lines.slice(1 + 2 * count).join('\r\n');
        socket.write(reply(args));
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
