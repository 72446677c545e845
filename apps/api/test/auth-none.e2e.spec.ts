import { startServer, TestServer } from './support/test-server';

describe('AUTH_MODE=none: anonymous as before, sign-in routes absent', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers /api/auth/me with exactly { authMode: "none", user: null, maxRoomsPerUser: null }', async () => {
    const response = await fetch(`${server.url}/api/auth/me`, { headers: { cookie: 'tc_session=s:anything.sig' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual({ authMode: 'none', user: null, maxRoomsPerUser: null });
  });

  it.each([
    ['GET', '/api/auth/login?returnTo=/'],
    ['GET', '/api/auth/callback?code=x&state=y'],
    ['POST', '/api/auth/logout'],
    ['GET', '/api/me/rooms'],
  ])('answers %s %s with 404 NOT_FOUND', async (method, path) => {
    const response = await fetch(`${server.url}${path}`, { method, redirect: 'manual' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String) });
  });

  it('creates rooms for anyone, with an owner key', async () => {
    const response = await fetch(`${server.url}/api/rooms`, { method: 'POST' });
    expect(response.status).toBe(201);
    expect((await response.json()).ownerKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a cross-site POST carrying a tc_session cookie with CSRF_REJECTED, before the Origin policy', async () => {
    const withCookie = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', cookie: 'tc_session=whatever' },
    });
    expect(withCookie.status).toBe(403);
    expect((await withCookie.json()).code).toBe('CSRF_REJECTED');
    const without = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', cookie: 'other=1' },
    });
    expect(without.status).toBe(403);
    expect((await without.json()).code).toBe('ORIGIN_NOT_ALLOWED');
    const nullOrigin = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { origin: 'null' } });
    expect((await nullOrigin.json()).code).toBe('ORIGIN_NOT_ALLOWED');
    // A GET is no state change: the cookie does not matter there.
    const read = await fetch(`${server.url}/api/auth/me`, {
      headers: { origin: server.url, 'sec-fetch-site': 'cross-site', cookie: 'tc_session=x' },
    });
    expect(read.status).toBe(200);
  });
});
