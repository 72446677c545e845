import type { CreateRoomResponse, RoomClosedEvent } from '@tiny-chat/shared-types';
import { join, nextEvent, startServer, storeEnv, TestServer } from './support/test-server';

const OWNER_KEY = /^[A-Za-z0-9_-]{43}$/;

async function createOwned(server: TestServer): Promise<CreateRoomResponse> {
  const response = await fetch(`${server.url}/api/rooms`, { method: 'POST' });
  expect(response.status).toBe(201);
  return (await response.json()) as CreateRoomResponse;
}

function closeRoom(server: TestServer, roomId: string, authorization?: string): Promise<Response> {
  return fetch(`${server.url}/api/rooms/${roomId}`, {
    method: 'DELETE',
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });
}

describe.each(['memory', 'redis'])('room owners close their rooms by owner key (%s store)', (store) => {
  let a: TestServer;
  /** A second instance on the same store (Redis: another process would do the same); memory: the same server. */
  let b: TestServer;
  beforeAll(async () => {
    const env = storeEnv(store, { MAX_ROOMS: '2' });
    a = await startServer(env);
    b = store === 'redis' ? await startServer(env) : a;
  });
  afterAll(async () => {
    if (b !== a) await b.close();
    await a.close();
  });

  it('answers every created room a fresh 256-bit base64url ownerKey', async () => {
    const first = await createOwned(a);
    const second = await createOwned(a);
    expect(first.ownerKey).toMatch(OWNER_KEY);
    expect(second.ownerKey).toMatch(OWNER_KEY);
    expect(first.ownerKey).not.toBe(second.ownerKey);
    for (const room of [first, second])
      expect((await closeRoom(a, room.roomId, `Bearer ${room.ownerKey}`)).status).toBe(204);
  });

  it('closes the room for the bearer of its key: 204, room:closed "closed" to every member, gone at once, slot free', async () => {
    const room = await createOwned(a);
    const other = await createOwned(a);
    const near = await a.connect();
    const far = await b.connect();
    await join(near, room.roomId, 'near');
    await join(far, room.roomId, 'far');
    const nearClosed = nextEvent(near, 'room:closed');
    const farClosed = nextEvent(far, 'room:closed');
    const response = await closeRoom(a, room.roomId, `Bearer ${room.ownerKey}`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    const expected: RoomClosedEvent = { roomId: room.roomId, reason: 'closed' };
    expect(await nearClosed).toEqual(expected);
    expect(await farClosed).toEqual(expected);
    const details = await fetch(`${b.url}/api/rooms/${room.roomId}`);
    expect(details.status).toBe(404);
    expect((await details.json()).code).toBe('ROOM_NOT_FOUND');
    const rejoin = await far.emitWithAck('room:join', { roomId: room.roomId, nick: 'far' });
    expect(!rejoin.ok && rejoin.error.code).toBe('ROOM_NOT_FOUND');
    // MAX_ROOMS=2 and `other` is live: the closed room's slot is free again at once.
    const next = await createOwned(b);
    for (const r of [other, next]) expect((await closeRoom(a, r.roomId, `Bearer ${r.ownerKey}`)).status).toBe(204);
  });

  it.each([
    ['no Authorization header', undefined],
    ['another room key', 'OTHER'],
    ['a made-up key', `Bearer ${'A'.repeat(43)}`],
    ['a malformed header', 'Bearer'],
    ['a Basic header', 'Basic dXNlcjpwYXNz'],
  ])('refuses %s with 403 NOT_ROOM_OWNER and leaves the room open', async (_what, authorization) => {
    const room = await createOwned(a);
    const other = await createOwned(a);
    const header = authorization === 'OTHER' ? `Bearer ${other.ownerKey}` : authorization;
    const response = await closeRoom(b, room.roomId, header);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ statusCode: 403, code: 'NOT_ROOM_OWNER', message: expect.any(String) });
    expect((await fetch(`${a.url}/api/rooms/${room.roomId}`)).status).toBe(200);
    for (const r of [room, other]) expect((await closeRoom(a, r.roomId, `Bearer ${r.ownerKey}`)).status).toBe(204);
  });

  it('answers 404 ROOM_NOT_FOUND for an unknown, malformed or already closed room', async () => {
    const room = await createOwned(a);
    expect((await closeRoom(a, room.roomId, `Bearer ${room.ownerKey}`)).status).toBe(204);
    for (const roomId of [room.roomId, 'A'.repeat(22), 'not-a-room-id']) {
      const response = await closeRoom(b, roomId, `Bearer ${room.ownerKey}`);
      expect(response.status).toBe(404);
      expect((await response.json()).code).toBe('ROOM_NOT_FOUND');
    }
  });
});

describe('Swagger documents the owner key', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('declares the ownerKey bearer and session cookie schemes and uses them on DELETE /api/rooms/{roomId}', async () => {
    const doc = await (await fetch(`${server.url}/api/docs-json`)).json();
    expect(doc.components.securitySchemes.ownerKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'tc_session' });
    const close = doc.paths['/api/rooms/{roomId}'].delete;
    expect(close.security).toEqual(expect.arrayContaining([{ ownerKey: [] }, { session: [] }]));
    expect(Object.keys(close.responses).sort()).toEqual(['204', '403', '404', '503']);
    for (const code of ['AUTH_REQUIRED', 'NOT_ROOM_OWNER', 'CSRF_REJECTED'])
      expect(doc.components.schemas.ErrorCode.enum).toContain(code);
    expect(doc.components.schemas.CreateRoomResponseDto.required).toContain('ownerKey');
  });
});
