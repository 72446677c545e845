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
    expect(Object.keys(body).sort()).toEqual([
      'createdAt',
      'encrypted',
      'expiresAt',
      'idleExpiresAt',
      'ownerKey',
      'roomId',
      'title',
    ]);
    expect(body).toMatchObject({ encrypted: false, title: null });
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

  it('GET /api/health answers ok with a bootId that stays the same while the process runs', async () => {
    const response = await fetch(`${server.url}/api/health`);
    const body = await response.json();
    expect(body).toEqual({ status: 'ok', store: { type: 'memory', available: true }, bootId: expect.any(String) });
    expect(body.bootId).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect((await (await fetch(`${server.url}/api/health`)).json()).bootId).toBe(body.bootId);
  });

  it('answers an unknown /api route with 404 NOT_FOUND', async () => {
    for (const [path, method] of [
      ['/api/nothing-here', 'GET'],
      ['/api', 'GET'],
      ['/api/rooms', 'GET'],
      ['/api/rooms/AAAAAAAAAAAAAAAAAAAAAA', 'PUT'],
    ] as const) {
      const missing = await fetch(`${server.url}${path}`, { method });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'No such route' });
    }
  });

  it('answers malformed JSON with 400 VALIDATION_ERROR', async () => {
    const malformed = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"oops":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ statusCode: 400, code: 'VALIDATION_ERROR', message: 'Malformed request' });
  });

  it('refuses a REST body over 16 KB with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await fetch(`${server.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(20_000) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Request body too large',
    });
  });

  it('Swagger JSON documents every route, response and error code; the UI is served', async () => {
    const doc = await (await fetch(`${server.url}/api/docs-json`)).json();
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/auth/callback',
      '/api/auth/login',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/health',
      '/api/health/ready',
      '/api/me/rooms',
      '/api/rooms',
      '/api/rooms/{roomId}',
    ]);
    const create = doc.paths['/api/rooms'].post.responses;
    expect(Object.keys(create).sort()).toEqual(['201', '400', '401', '403', '413', '415', '429', '503']);
    expect(create['400'].description).toContain('VALIDATION_ERROR');
    expect(Object.keys(doc.paths['/api/rooms/{roomId}'].get.responses).sort()).toEqual(['200', '403', '404', '503']);
    const described = (status: string) => create[status].description as string;
    expect(described('403')).toContain('ORIGIN_NOT_ALLOWED');
    expect(described('413')).toContain('PAYLOAD_TOO_LARGE');
    expect(described('415')).toContain('UNSUPPORTED_MEDIA_TYPE');
    expect(described('503')).toContain('SHUTTING_DOWN');
    expect(create['403'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponseDto' });
    expect(doc.components.schemas.ErrorCode.enum).toEqual([...ERROR_CODES]);
    for (const code of ERROR_CODES) expect(doc.info.description).toContain(code);
    for (const event of [
      'room:join',
      'message:send',
      'message:list',
      'room:leave',
      'room:touch',
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
