/**
 * Sign-in against a real OpenID provider (oidc-provider, child process), through the production build: two
 * instances on Redis sharing sessions, and one on memory. openid-client is an ES module the API loads at run
 * time, which the jest CommonJS sandbox cannot, so the flow is tested where it runs: in spawned servers.
 */
import { SESSION_COOKIE, type AuthMeResponse, type CreateRoomResponse } from '@tiny-chat/shared-types';
import { randomUUID } from 'node:crypto';
import { requireRedisUrl } from '../src/testing/redis-url';
import { ApiInstance, freePort, startInstance } from './support/instances';
import { Browser, oidcEnv, OidcProvider, signIn, startOidcProvider } from './support/oidc';

jest.setTimeout(60_000);

let provider: OidcProvider;
let a: ApiInstance;
let b: ApiInstance;

beforeAll(async () => {
  const [portA, portB] = [await freePort(), await freePort()];
  const urls = [portA, portB].map((port) => `http://127.0.0.1:${port}`);
  provider = await startOidcProvider(urls.map((url) => `${url}/api/auth/callback`));
  const shared = { STORE: 'redis', REDIS_URL: requireRedisUrl(), REDIS_KEY_PREFIX: `auth:${randomUUID()}:` };
  const started = await Promise.all(
    [portA, portB].map((port, i) =>
      startInstance({
        PORT: String(port),
        ...shared,
        ...oidcEnv(provider.issuer, urls[i] ?? '', { MAX_ROOMS_PER_USER: '2' }),
      }),
    ),
  );
  [a, b] = started as [ApiInstance, ApiInstance];
});

afterAll(async () => {
  await Promise.all([a?.kill(), b?.kill()]);
  await provider?.stop();
});

async function me(browser: Browser, url: string): Promise<AuthMeResponse> {
  const response = await browser.request(`${url}/api/auth/me`);
  expect(response.status).toBe(200);
  return (await response.json()) as AuthMeResponse;
}

async function signedIn(login: string, at = a): Promise<Browser> {
  const browser = new Browser();
  const flow = await signIn(browser, at.url, login);
  expect(flow.last.status).toBe(302);
  expect(flow.location).toBe('/');
  return browser;
}

const post = (browser: Browser, url: string, headers: Record<string, string> = {}) =>
  browser.request(`${url}/api/rooms`, { method: 'POST', headers });

describe('OpenID Connect sign-in (production build, Redis, real provider)', () => {
  it('sends the browser to the provider with PKCE S256, state and nonce, and back signed in to returnTo', async () => {
    const browser = new Browser();
    const flow = await signIn(browser, a.url, 'alice', { returnTo: '/r/abc?x=1#top' });
    const toProvider = new URL(flow.hops[1] ?? '');
    expect(toProvider.origin).toBe(provider.issuer);
    expect(toProvider.searchParams.get('code_challenge_method')).toBe('S256');
    expect(toProvider.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(toProvider.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(toProvider.searchParams.get('nonce')).toBeTruthy();
    expect(toProvider.searchParams.get('redirect_uri')).toBe(`${a.url}/api/auth/callback`);
    expect(toProvider.searchParams.get('scope')).toBe('openid profile email');
    expect(flow.last.status).toBe(302);
    expect(flow.location).toBe('/r/abc?x=1#top');
    const setCookie = flow.last.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    expect(setCookie).toMatch(/; Path=\/(;|$)/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).not.toMatch(/; Secure/);
    expect(await me(browser, a.url)).toEqual({
      authMode: 'oidc',
      user: { id: `${provider.issuer}#alice`, name: 'User alice' },
      maxRoomsPerUser: 2,
    });
  });

  it('shares a session made on one instance with the other (sessions live in Redis)', async () => {
    const browser = await signedIn('carol', a);
    expect((await me(browser, b.url)).user).toEqual({ id: `${provider.issuer}#carol`, name: 'User carol' });
  });

  it('signs out with 204 and deletes the session server-side: the old cookie replayed is signed out', async () => {
    const browser = await signedIn('dave');
    const oldCookie = browser.cookieHeader(`${a.url}/`);
    const out = await browser.request(`${a.url}/api/auth/logout`, { method: 'POST' });
    expect(out.status).toBe(204);
    expect(browser.cookie(a.url, SESSION_COOKIE)).toBeUndefined();
    for (const url of [a.url, b.url]) {
      const replay = await fetch(`${url}/api/auth/me`, { headers: { cookie: oldCookie } });
      expect((await replay.json()).user).toBeNull();
      const create = await fetch(`${url}/api/rooms`, { method: 'POST', headers: { cookie: oldCookie } });
      expect(create.status).toBe(401);
      expect((await create.json()).code).toBe('AUTH_REQUIRED');
    }
  });

  it.each([
    ['//evil.example', '/'],
    ['//evil.example/path', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['evil', '/'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/r/room-1', '/r/room-1'],
  ])('returns to %s as %s (same-origin paths only)', async (returnTo, expected) => {
    const flow = await signIn(new Browser(), a.url, 'erin', { returnTo });
    expect(flow.last.status).toBe(302);
    expect(flow.location).toBe(expected);
  });

  it('answers a cancelled login with /?authError=access_denied and no session', async () => {
    const browser = new Browser();
    const flow = await signIn(browser, a.url, 'frank', { cancel: true });
    expect(flow.last.status).toBe(302);
    expect(flow.location).toBe('/?authError=access_denied');
    expect(browser.cookie(a.url, SESSION_COOKIE)).toBeUndefined();
    expect((await me(browser, a.url)).user).toBeNull();
  });

  it('refuses a replayed callback, a forged state and a code from another login with login_failed', async () => {
    const browser = new Browser();
    const first = await signIn(browser, a.url, 'gina', { stopAtCallback: true });
    const callback = first.hops[first.hops.length - 1] ?? '';
    const loginCookie = browser.cookie(a.url, 'tc_login') ?? '';
    const done = await browser.request(callback);
    expect(done.headers.get('location')).toBe('/');
    // Replayed with the same login cookie: the pending login was used up.
    const replay = new Browser();
    replay.setCookie(a.url, 'tc_login', loginCookie, '/api/auth');
    const replayed = await replay.request(callback);
    expect(replayed.headers.get('location')).toBe('/?authError=login_failed');
    expect(replay.cookie(a.url, SESSION_COOKIE)).toBeUndefined();
    // Another browser's login: its cookie's state is not the one in the callback.
    const other = new Browser();
    const second = await signIn(other, a.url, 'gina', { stopAtCallback: true });
    const crossed = await other.request(callback);
    expect(crossed.headers.get('location')).toBe('/?authError=login_failed');
    // The other login's state with this code: the code's PKCE verifier and nonce belong to the first login.
    const ownCallback = new URL(second.hops[second.hops.length - 1] ?? '');
    const swapped = new URL(callback);
    swapped.searchParams.set('state', ownCallback.searchParams.get('state') ?? '');
    const mixed = await other.request(swapped.href);
    expect(mixed.headers.get('location')).toBe('/?authError=login_failed');
    expect(other.cookie(a.url, SESSION_COOKIE)).toBeUndefined();
  });

  it('treats a forged, tampered or unknown session cookie as signed out, never as an error', async () => {
    const browser = await signedIn('hank');
    const real = browser.cookie(a.url, SESSION_COOKIE) ?? '';
    const decoded = decodeURIComponent(real);
    const tampered = `${decoded.slice(0, 5)}${decoded[5] === 'A' ? 'B' : 'A'}${decoded.slice(6)}`;
    for (const value of ['garbage', 's:', 's:abc.def', encodeURIComponent(tampered), 'x'.repeat(4000), '%E0%A4%A']) {
      const response = await fetch(`${a.url}/api/auth/me`, { headers: { cookie: `${SESSION_COOKIE}=${value}` } });
      expect(response.status).toBe(200);
      expect((await response.json()).user).toBeNull();
      const create = await fetch(`${a.url}/api/rooms`, {
        method: 'POST',
        headers: { cookie: `${SESSION_COOKIE}=${value}` },
      });
      expect(create.status).toBe(401);
    }
  });
});

describe('rooms with sign-in (production build, two instances on Redis)', () => {
  it('refuses POST /api/rooms signed out with 401 AUTH_REQUIRED', async () => {
    const response = await fetch(`${a.url}/api/rooms`, { method: 'POST' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ statusCode: 401, code: 'AUTH_REQUIRED', message: expect.any(String) });
  });

  it('caps live rooms per user exactly under concurrent creation on both instances, with Retry-After', async () => {
    const browser = await signedIn('ivan');
    const attempts = await Promise.all(Array.from({ length: 8 }, (_, i) => post(browser, i % 2 ? a.url : b.url)));
    const statuses = attempts.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 429, 429, 429, 429, 429, 429]);
    const refused = attempts.find((r) => r.status === 429);
    expect((await (refused as Response).json()).code).toBe('ROOM_LIMIT_REACHED');
    // The earliest of ivan's rooms idles out after ROOM_IDLE_TIMEOUT_SEC (300 s by default).
    const retryAfter = Number(refused?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(290);
    expect(retryAfter).toBeLessThanOrEqual(300);
    const listed = await (await browser.request(`${b.url}/api/me/rooms`)).json();
    expect(listed.rooms).toHaveLength(2);
    expect(listed.rooms[0]).toEqual({
      roomId: expect.any(String),
      encrypted: false,
      title: null,
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      idleExpiresAt: expect.any(String),
      memberCount: 0,
    });
    // Another user has slots of their own.
    expect((await post(await signedIn('judy'), a.url)).status).toBe(201);
  });

  it('lists my rooms, lets the signed-in creator close one (freeing the slot), refuses others with 403', async () => {
    const owner = await signedIn('kate');
    const room = (await (await post(owner, a.url)).json()) as CreateRoomResponse;
    expect(
      (await (await owner.request(`${a.url}/api/me/rooms`)).json()).rooms.map((r: CreateRoomResponse) => r.roomId),
    ).toEqual([room.roomId]);
    const stranger = await signedIn('leo');
    const refused = await stranger.request(`${b.url}/api/rooms/${room.roomId}`, { method: 'DELETE' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe('NOT_ROOM_OWNER');
    const closed = await owner.request(`${b.url}/api/rooms/${room.roomId}`, { method: 'DELETE' });
    expect(closed.status).toBe(204);
    expect((await fetch(`${a.url}/api/rooms/${room.roomId}`)).status).toBe(404);
    expect((await (await owner.request(`${a.url}/api/me/rooms`)).json()).rooms).toEqual([]);
    const signedOut = await fetch(`${a.url}/api/me/rooms`);
    expect(signedOut.status).toBe(401);
    expect((await signedOut.json()).code).toBe('AUTH_REQUIRED');
  });

  it('refuses cross-site POST and DELETE that carry the session cookie with 403 CSRF_REJECTED, changing nothing', async () => {
    const browser = await signedIn('mona');
    const room = (await (await post(browser, a.url)).json()) as CreateRoomResponse;
    const crossSite: Array<Record<string, string>> = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: a.url, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of crossSite) {
      for (const [method, path] of [
        ['POST', '/api/rooms'],
        ['DELETE', `/api/rooms/${room.roomId}`],
        ['POST', '/api/auth/logout'],
      ] as const) {
        const response = await browser.request(`${a.url}${path}`, { method, headers });
        expect([method, path, response.status]).toEqual([method, path, 403]);
        expect((await response.json()).code).toBe('CSRF_REJECTED');
      }
    }
    const listed = await (await browser.request(`${a.url}/api/me/rooms`)).json();
    expect(listed.rooms.map((r: CreateRoomResponse) => r.roomId)).toEqual([room.roomId]);
    // Without the cookie the Origin policy answers as before; from this site the cookie works.
    const anonymous = await fetch(`${a.url}/api/rooms`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect((await anonymous.json()).code).toBe('ORIGIN_NOT_ALLOWED');
    const sameSite = await browser.request(`${a.url}/api/rooms/${room.roomId}`, {
      method: 'DELETE',
      headers: { origin: a.url, 'sec-fetch-site': 'same-origin' },
    });
    expect(sameSite.status).toBe(204);
  });
});
