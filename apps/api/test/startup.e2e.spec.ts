import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
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
});
