import { roomWithKeptMessage, startServer, TestServer } from './support/test-server';

/** Bad REST requests: each gets its exact status and code; other clients and stored history are unaffected. */
describe('bad input over REST', () => {
  let server: TestServer;
  let roomId: string;
  let userToken: string;
  beforeAll(async () => {
    server = await startServer();
    ({ roomId, userToken } = await roomWithKeptMessage(server));
  });
  afterAll(async () => {
    await server.close();
  });

  const json = { 'content-type': 'application/json' };
  const cases: Array<[string, string, RequestInit, number, string]> = [
    ['malformed JSON', '/api/rooms', { method: 'POST', headers: json, body: '{"a":' }, 400, 'VALIDATION_ERROR'],
    [
      'JSON that is a bare string with a JSON type',
      '/api/rooms',
      { method: 'POST', headers: json, body: '"x' },
      400,
      'VALIDATION_ERROR',
    ],
    [
      'a text/plain body',
      '/api/rooms',
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a form body',
      '/api/rooms',
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a 20 KB JSON body',
      '/api/rooms',
      { method: 'POST', headers: json, body: JSON.stringify({ p: 'x'.repeat(20_000) }) },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['a __proto__ room id', '/api/rooms/__proto__', { method: 'GET' }, 404, 'ROOM_NOT_FOUND'],
    ['a constructor room id', '/api/rooms/constructor', { method: 'GET' }, 404, 'ROOM_NOT_FOUND'],
    ['a 5000-character room id', `/api/rooms/${'a'.repeat(5000)}`, { method: 'GET' }, 404, 'ROOM_NOT_FOUND'],
    [
      'an XSS room id',
      `/api/rooms/${encodeURIComponent('<script>alert(1)</script>')}`,
      { method: 'GET' },
      404,
      'ROOM_NOT_FOUND',
    ],
    ['an unknown route', '/api/admin', { method: 'GET' }, 404, 'NOT_FOUND'],
    ['a wrong method', `/api/rooms/AAAAAAAAAAAAAAAAAAAAAA`, { method: 'PUT' }, 404, 'NOT_FOUND'],
    [
      'a foreign Origin',
      '/api/rooms',
      { method: 'POST', headers: { origin: 'https://evil.example' } },
      403,
      'ORIGIN_NOT_ALLOWED',
    ],
  ];

  it.each(cases)('%s gets %i %s', async (_label, path, init, status, code) => {
    const response = await fetch(`${server.url}${path}`, init);
    expect(response.status).toBe(status);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ statusCode: status, code, message: expect.any(String) });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(js|ts):\d+/);
    // Another client is served normally and the stored history is unchanged.
    const bystander = await server.connect();
    const list = await bystander.emitWithAck('message:list', { roomId, userToken, afterId: 0 });
    expect(list.ok && list.data.messages.map((m) => m.text)).toEqual(['kept']);
    bystander.disconnect();
  });
});
