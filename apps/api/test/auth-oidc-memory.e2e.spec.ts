/**
 * Sign-in on one instance with STORE=memory (production build, real provider): the per-user cap under concurrency,
 * session expiry, and ROOMS_REQUIRE_LOGIN, which reads the session from the socket.io handshake cookie.
 */
import type { CreateRoomResponse } from '@tiny-chat/shared-types';
import { io } from 'socket.io-client';
import { ApiInstance, ChatClient, freePort, startInstance } from './support/instances';
import { Browser, oidcEnv, OidcProvider, signIn, startOidcProvider } from './support/oidc';

jest.setTimeout(60_000);

/** Short, so expiry is seen in a test; every sign-in below starts a fresh session. */
const SESSION_TTL_SEC = 3;

let provider: OidcProvider;
let server: ApiInstance;
const sockets: ChatClient[] = [];

beforeAll(async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider([`${url}/api/auth/callback`]);
  server = await startInstance({
    PORT: String(port),
    STORE: 'memory',
    ...oidcEnv(provider.issuer, url, {
      MAX_ROOMS_PER_USER: '3',
      ROOMS_REQUIRE_LOGIN: 'true',
      SESSION_TTL_SEC: String(SESSION_TTL_SEC),
    }),
  });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server?.kill();
  await provider?.stop();
});

async function signedIn(login: string): Promise<Browser> {
  const browser = new Browser();
  expect((await signIn(browser, server.url, login)).location).toBe('/');
  return browser;
}

/** A socket.io client whose handshake carries the browser's cookies, as a browser on the same origin sends them. */
async function connect(browser: Browser): Promise<ChatClient> {
  const cookie = browser.cookieHeader(`${server.url}/socket.io/`);
  const socket: ChatClient = io(server.url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: cookie === '' ? {} : { cookie },
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

describe('sign-in with STORE=memory (production build, real provider)', () => {
  it('caps live rooms per user exactly under concurrent creation: 3 created, the rest 429 ROOM_LIMIT_REACHED', async () => {
    const browser = await signedIn('nina');
    const attempts = await Promise.all(
      Array.from({ length: 10 }, () => browser.request(`${server.url}/api/rooms`, { method: 'POST' })),
    );
    expect(attempts.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = attempts.filter((r) => r.status === 429);
    expect(refused).toHaveLength(7);
    expect((await (refused[0] as Response).json()).code).toBe('ROOM_LIMIT_REACHED');
    expect(Number(refused[0]?.headers.get('retry-after'))).toBeGreaterThan(290);
    expect((await (await browser.request(`${server.url}/api/me/rooms`)).json()).rooms).toHaveLength(3);
  });

  it('with ROOMS_REQUIRE_LOGIN, answers room:join AUTH_REQUIRED without a session and joins with one', async () => {
    const browser = await signedIn('omar');
    const room = (await (
      await browser.request(`${server.url}/api/rooms`, { method: 'POST' })
    ).json()) as CreateRoomResponse;
    const anonymous = await connect(new Browser());
    const refused = await anonymous.emitWithAck('room:join', { roomId: room.roomId, nick: 'anon' });
    expect(!refused.ok && refused.error.code).toBe('AUTH_REQUIRED');
    const member = await connect(browser);
    const joined = await member.emitWithAck('room:join', { roomId: room.roomId, nick: 'omar' });
    expect(joined.ok).toBe(true);
    // Signed out, the same socket's next join is refused: the session is checked on every join.
    expect((await browser.request(`${server.url}/api/auth/logout`, { method: 'POST' })).status).toBe(204);
    const again = await member.emitWithAck('room:join', { roomId: room.roomId, nick: 'omar2' });
    expect(!again.ok && again.error.code).toBe('AUTH_REQUIRED');
  });

  it('treats an expired session as signed out (SESSION_TTL_SEC)', async () => {
    const browser = await signedIn('pia');
    expect((await (await browser.request(`${server.url}/api/auth/me`)).json()).user).not.toBeNull();
    const cookie = browser.cookieHeader(`${server.url}/`);
    await new Promise((resolve) => setTimeout(resolve, SESSION_TTL_SEC * 1000 + 200));
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await me.json()).user).toBeNull();
    const create = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { cookie } });
    expect(create.status).toBe(401);
    expect((await create.json()).code).toBe('AUTH_REQUIRED');
  });
});
