import { ConfigError, loadConfig } from './app-config';

const OIDC = {
  AUTH_MODE: 'oidc',
  OIDC_ISSUER: 'https://id.example.com/realms/main',
  OIDC_CLIENT_ID: 'tiny-chat',
  OIDC_CLIENT_SECRET: 'secret',
  PUBLIC_URL: 'https://chat.example.com',
  SESSION_SECRET: 'x'.repeat(32),
};

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('sign-in settings', () => {
  it('defaults to AUTH_MODE=none with nothing else needed', () => {
    expect(loadConfig({}).auth).toEqual({ mode: 'none' });
  });

  it('reads every oidc setting with its defaults', () => {
    expect(loadConfig(OIDC).auth).toEqual({
      mode: 'oidc',
      issuer: OIDC.OIDC_ISSUER,
      clientId: 'tiny-chat',
      clientSecret: 'secret',
      scopes: 'openid profile email',
      publicUrl: 'https://chat.example.com',
      sessionSecret: OIDC.SESSION_SECRET,
      sessionTtlSec: 604800,
      roomsRequireLogin: false,
      maxRoomsPerUser: 3,
    });
    const custom = loadConfig({
      ...OIDC,
      PUBLIC_URL: 'https://chat.example.com/',
      OIDC_SCOPES: 'openid profile',
      SESSION_TTL_SEC: '60',
      ROOMS_REQUIRE_LOGIN: 'true',
      MAX_ROOMS_PER_USER: '1',
    }).auth;
    expect(custom).toMatchObject({ publicUrl: 'https://chat.example.com', scopes: 'openid profile' });
    expect(custom).toMatchObject({ sessionTtlSec: 60, roomsRequireLogin: true, maxRoomsPerUser: 1 });
  });

  it('accepts an http issuer on a loopback host only', () => {
    for (const issuer of ['http://127.0.0.1:8080', 'http://127.9.9.9', 'http://localhost:9000/x', 'http://[::1]:1'])
      expect(loadConfig({ ...OIDC, OIDC_ISSUER: issuer }).auth).toMatchObject({ issuer });
    for (const issuer of ['http://id.example.com', 'http://10.0.0.1', 'http://127.0.0.1.evil.example'])
      expect(refusal({ ...OIDC, OIDC_ISSUER: issuer })).toMatch(/OIDC_ISSUER: OIDC_ISSUER must use https/);
    expect(refusal({ ...OIDC, OIDC_ISSUER: 'ftp://id.example.com' })).toMatch(/OIDC_ISSUER must be an http\(s\) URL/);
  });

  it.each([
    [{ AUTH_MODE: 'ldap' }, /AUTH_MODE: AUTH_MODE must be "none" or "oidc"/],
    [{ ROOMS_REQUIRE_LOGIN: 'true' }, /ROOMS_REQUIRE_LOGIN: ROOMS_REQUIRE_LOGIN=true needs AUTH_MODE=oidc/],
    [{ ...OIDC, SESSION_SECRET: 'short' }, /SESSION_SECRET: SESSION_SECRET must have at least 32 characters/],
    [{ ...OIDC, PUBLIC_URL: 'https://chat.example.com/app' }, /PUBLIC_URL: PUBLIC_URL must be the origin/],
    [{ ...OIDC, SESSION_TTL_SEC: '0' }, /SESSION_TTL_SEC must be an integer from 1/],
    [{ ...OIDC, MAX_ROOMS_PER_USER: 'many' }, /MAX_ROOMS_PER_USER must be an integer from 1/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(refusal(env as Record<string, string>)).toMatch(message);
  });

  it('names every missing oidc setting at once', () => {
    const message = refusal({ AUTH_MODE: 'oidc' });
    for (const name of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'PUBLIC_URL', 'SESSION_SECRET'])
      expect(message).toContain(`${name}: ${name} is required with AUTH_MODE=oidc`);
  });
});
