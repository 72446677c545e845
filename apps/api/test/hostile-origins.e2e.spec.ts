import WebSocket from 'ws';
import { startInstance, type ApiInstance } from './support/instances';
import { storeEnv } from './support/test-server';

const FOREIGN = 'https://evil.example';

/** A raw engine.io long-polling session (what a page can drive with fetch or a script tag), without socket.io-client. */
async function openPollingSession(url: string): Promise<string> {
  const handshake = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
  const sid = (JSON.parse((await handshake.text()).slice(1)) as { sid: string }).sid;
  await post(url, sid, '40');
  expect(await poll(url, sid)).toMatch(/^40\{"sid"/);
  return sid;
}

function post(url: string, sid: string, body: string, origin?: string): Promise<Response> {
  return fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', ...(origin ? { origin } : {}) },
    body,
  });
}

async function poll(url: string, sid: string): Promise<string> {
  return (await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=${sid}`)).text();
}

async function memberNicks(url: string, roomId: string): Promise<string[]> {
  const room = (await (await fetch(`${url}/api/rooms/${roomId}`)).json()) as { members: { nick: string }[] };
  return room.members.map((member) => member.nick);
}

describe.each(['memory', 'redis'])('origins on every engine.io request (built server, %s store)', (store) => {
  let instance: ApiInstance;
  beforeAll(async () => {
    instance = await startInstance(storeEnv(store));
  }, 20_000);
  afterAll(() => instance.kill());

  it('refuses a polling POST with a foreign Origin on an existing session and never runs its packet', async () => {
    const { roomId } = (await (await fetch(`${instance.url}/api/rooms`, { method: 'POST' })).json()) as {
      roomId: string;
    };
    const sid = await openPollingSession(instance.url);
    const foreign = await post(instance.url, sid, `420["room:join",{"roomId":"${roomId}","nick":"evil"}]`, FOREIGN);
    expect([400, 403]).toContain(foreign.status);

    const own = await post(instance.url, sid, `421["room:join",{"roomId":"${roomId}","nick":"friend"}]`);
    expect(own.status).toBe(200);
    let answer = '';
    for (let polls = 0; polls < 5 && !answer.includes('431['); polls++)
      answer += `${await poll(instance.url, sid)}\x1e`;
    expect(answer.split('\x1e')).toContainEqual(expect.stringMatching(/^431\[\{"ok":true/));
    expect(answer).not.toContain('430[');
    expect(await memberNicks(instance.url, roomId)).toEqual(['friend']);
  });

  it('refuses a polling GET and a WebSocket upgrade with a foreign Origin on an existing session', async () => {
    const sid = await openPollingSession(instance.url);
    const get = await fetch(`${instance.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
      headers: { origin: FOREIGN },
    });
    expect([400, 403]).toContain(get.status);
    const upgrade = new WebSocket(
      `${instance.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket&sid=${sid}`,
      {
        headers: { origin: FOREIGN },
      },
    );
    const status = await new Promise<number | string>((resolve) => {
      upgrade.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      upgrade.once('open', () => resolve('open'));
      upgrade.once('error', () => resolve('error'));
    });
    upgrade.terminate();
    expect(status).not.toBe('open');
  });

  it('refuses JSONP long-polling (&j=) before any session exists', async () => {
    for (const origin of [undefined, FOREIGN]) {
      const response = await fetch(`${instance.url}/socket.io/?EIO=4&transport=polling&j=0`, {
        headers: origin ? { origin } : {},
      });
      expect([400, 403]).toContain(response.status);
      expect(await response.text()).not.toContain('sid');
    }
  });
});
