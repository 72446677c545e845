import { ERROR_CODES } from '@tiny-chat/shared-types';
import { startServer, TestServer } from './support/test-server';

describe('REST: rooms, health, errors and Swagger', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('POST /api/rooms creates a room with no body: 201 and ISO times', async () => {
    const response = await fetch(`${server.url}/api/rooms`, { method: 'POST' });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'expiresAt', 'idleExpiresAt', 'roomId']);
    expect(body.roomId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (const key of ['createdAt', 'expiresAt', 'idleExpiresAt'])
      expect(new Date(body[key]).toISOString()).toBe(body[key]);
  });

  it('GET /api/rooms/:roomId describes the room', async () => {
    const { roomId } = await server.createRoom();
    const response = await fetch(`${server.url}/api/rooms/${roomId}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ roomId, members: [], lastMessageId: 0 });
  });

  it.each(['AAAAAAAAAAAAAAAAAAAAAA', 'short', '__proto__', 'constructor', '%7B%7D'])(
    'GET /api/rooms/%s answers the one 404 ROOM_NOT_FOUND body',
    async (id) => {
      const response = await fetch(`${server.url}/api/rooms/${id}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        statusCode: 404,
        code: 'ROOM_NOT_FOUND',
        message: 'Room not found or expired',
      });
    },
  );

  it('GET /api/health answers ok', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(await response.json()).toEqual({ status: 'ok', store: { type: 'memory', available: true } });
  });

  it('an unknown API route and malformed JSON get the error body shape', async () => {
    const missing = await fetch(`${server.url}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ statusCode: 404, code: 'VALIDATION_ERROR', message: 'No such route' });
    const malformed = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"oops":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ statusCode: 400, code: 'VALIDATION_ERROR', message: 'Malformed request' });
  });

  it('a REST body over 16 KB is refused with 413', async () => {
    const response = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(20_000) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ statusCode: 413, code: 'VALIDATION_ERROR' });
  });

  it('Swagger JSON documents every route, response and error code; the UI is served', async () => {
    const doc = await (await fetch(`${server.url}/api/docs-json`)).json();
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/health',
      '/api/health/ready',
      '/api/rooms',
      '/api/rooms/{roomId}',
    ]);
    expect(Object.keys(doc.paths['/api/rooms'].post.responses).sort()).toEqual(['201', '429']);
    expect(Object.keys(doc.paths['/api/rooms/{roomId}'].get.responses).sort()).toEqual(['200', '404']);
    expect(doc.components.schemas.ErrorCode.enum).toEqual([...ERROR_CODES]);
    for (const code of ERROR_CODES) expect(doc.info.description).toContain(code);
    for (const event of [
      'room:join',
      'message:send',
      'message:list',
      'room:leave',
      'message:new',
      'room:presence',
      'room:closed',
    ]) {
      expect(doc.info.description).toContain(event);
    }
    const ui = await fetch(`${server.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('sends security headers', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});
