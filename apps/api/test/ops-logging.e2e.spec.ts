import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiInstance, connectTo, startInstance } from './support/instances';

const METRICS_TOKEN = 'metrics-secret-7f3a9c1e5b2d';
const SECRET_TEXT = 'the-secret-message-text-4b8e';
const SECRET_IN_BODY = 'secret-in-a-rest-body-91cd';

interface LogLine {
  level: number;
  time: number;
  msg?: string;
  context?: string;
  conn?: string;
  roomId?: string;
  req?: { id: string; method: string; url: string; headers: Record<string, string> };
  res?: { statusCode: number };
}

/** A spawned production build at LOG_LEVEL=debug: JSON lines with ids, and never a token or message text. */
describe('structured logs', () => {
  let api: ApiInstance;
  beforeAll(async () => {
    api = await startInstance({ LOG_LEVEL: 'debug', METRICS_TOKEN });
  }, 30_000);
  afterAll(() => api.kill('SIGKILL'));

  it('logs requests and connection events as JSON with ids and never a token or a message text, even at debug', async () => {
    const secrets: string[] = [METRICS_TOKEN, SECRET_TEXT, SECRET_IN_BODY];
    expect(
      (await fetch(`${api.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status,
    ).toBe(200);
    expect(
      (await fetch(`${api.url}/api/metrics`, { headers: { authorization: 'Bearer not-the-token-123456' } })).status,
    ).toBe(401);
    secrets.push('not-the-token-123456');
    const created = await fetch(`${api.url}/api/rooms`, {
      method: 'POST',
      headers: { 'x-request-id': 'ops-test-create-1' },
    });
    expect(created.headers.get('x-request-id')).toBe('ops-test-create-1');
    const { roomId } = (await created.json()) as { roomId: string };
    // A body nobody asked for, full of secrets: whatever the answer, the body is not logged.
    await fetch(`${api.url}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userToken: SECRET_IN_BODY, text: SECRET_IN_BODY }),
    });

    const ann = await connectTo(api.url);
    const joined = await ann.emitWithAck('room:join', { roomId, nick: 'ann' });
    if (!joined.ok) throw new Error(joined.error.code);
    const { userToken } = joined.data;
    secrets.push(userToken);
    expect(await ann.emitWithAck('message:send', { roomId, userToken, text: SECRET_TEXT })).toMatchObject({ ok: true });
    expect(
      await ann.emitWithAck('message:send', { roomId, userToken: `${userToken}x`, text: SECRET_TEXT }),
    ).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_INVALID' },
    });
    expect(await ann.emitWithAck('message:list', { roomId, userToken, afterId: 0 })).toMatchObject({ ok: true });
    const again = await connectTo(api.url);
    expect(await again.emitWithAck('room:join', { roomId, userToken })).toMatchObject({ ok: true });
    expect(await again.emitWithAck('room:leave', { roomId, userToken })).toMatchObject({ ok: true });
    ann.disconnect();
    again.disconnect();
    await api.kill('SIGTERM');

    const port = new URL(api.url).port;
    const raw = readFileSync(join(__dirname, '../../../dist', `api-instance-${port}.log`), 'utf8');
    for (const secret of secrets) expect(raw).not.toContain(secret);

    const lines = raw
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine);
    expect(lines.every((line) => typeof line.level === 'number' && typeof line.time === 'number')).toBe(true);
    const create = lines.find((l) => l.req?.id === 'ops-test-create-1');
    expect(create).toMatchObject({ level: 30, req: { method: 'POST', url: '/api/rooms' }, res: { statusCode: 201 } });
    const scraped = lines.find((l) => l.req?.url === '/api/metrics' && l.res?.statusCode === 200);
    expect(scraped?.req?.headers['authorization']).toBe('[redacted]');

    const connected = lines.filter((l) => l.msg === 'socket connected');
    expect(connected).toHaveLength(2);
    const annConn = connected[0]?.conn;
    expect(annConn).toMatch(/^\S{10,}$/);
    expect(lines.filter((l) => l.msg === 'room joined')).toEqual([
      expect.objectContaining({ conn: annConn, roomId, level: 30 }),
      expect.objectContaining({ conn: connected[1]?.conn, roomId }),
    ]);
    expect(lines.find((l) => l.msg === 'room left')).toMatchObject({ conn: connected[1]?.conn, roomId });
    expect(lines.find((l) => l.msg === 'message:send refused')).toMatchObject({ level: 20, conn: annConn });
    // One listener serves every socket: each line still names its own connection.
    const disconnected = lines.filter((l) => l.msg === 'socket disconnected').map((l) => l.conn);
    expect(disconnected.sort()).toEqual(connected.map((l) => l.conn).sort());
    expect(lines[lines.length - 1]).toMatchObject({ context: 'Main', msg: 'stopped' });
  }, 30_000);
});
