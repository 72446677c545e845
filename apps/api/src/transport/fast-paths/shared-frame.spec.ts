import type { Socket } from 'socket.io';
import type { Socket as ClientSocket } from 'socket.io-client';
import { receive as receiveEvents, SocketIoLoopback } from '../../testing/socket-io-loopback';
import { DEFAULT_FAST_PATHS } from './fast-paths';
import { SharedFrameBroadcast } from './shared-frame';

const frames = new SharedFrameBroadcast(DEFAULT_FAST_PATHS);
const broadcastLocally: SharedFrameBroadcast['broadcastLocally'] = (...args) => frames.broadcastLocally(...args);

interface Note {
  n: number;
  text: string;
}

/** Real socket.io server and clients: what the clients decode is what the shared frame carried. */
describe('broadcastLocally', () => {
  const loopback = new SocketIoLoopback();
  beforeEach(() => loopback.start());
  afterEach(() => loopback.stop());
  const server = () => loopback.server;

  async function member(transports: string[], room = 'r1'): Promise<{ client: ClientSocket; socket: Socket }> {
    const connected = await loopback.connect(transports);
    await connected.socket.join(room);
    return connected;
  }

  const receive = (client: ClientSocket, count: number) => receiveEvents<Note>(client, 'note', count);

  /** engine.io packets made for this socket (its own per-member path); the shared frame makes none. */
  function countPackets(socket: Socket): () => number {
    let packets = 0;
    socket.conn.on('packetCreate', (packet: { type: string }) => {
      if (packet.type === 'message') packets++;
    });
    return () => packets;
  }

  it('frames a broadcast once and every WebSocket member decodes it: short, 16-bit and 64-bit lengths, any text', async () => {
    const members = [await member(['websocket']), await member(['websocket']), await member(['websocket'])];
    const outsider = await member(['websocket'], 'r2');
    const packets = members.map(({ socket }) => countPackets(socket));
    const texts = ['hi', 'é🙂'.repeat(40), 'x'.repeat(70_000), '<b>"quotes"\n\\</b>'];
    const received = members.map(({ client }) => receive(client, texts.length));
    let outsiderGot = 0;
    outsider.client.on('note', () => outsiderGot++);
    const counts = texts.map((text, i) => broadcastLocally(server(), 'r1', 'note', { n: i + 1, text }));
    expect(counts).toEqual([3, 3, 3, 3]);
    const expected = texts.map((text, i) => ({ n: i + 1, text }));
    for (const got of await Promise.all(received)) expect(got).toEqual(expected);
    expect(packets.map((count) => count())).toEqual([0, 0, 0]);
    expect(outsiderGot).toBe(0);
    expect(broadcastLocally(server(), 'nobody-here', 'note', { n: 0, text: '' })).toBe(0);
  });

  it("frames the JSON it is given as is (a store's own serialization: other key order, escaped slashes)", async () => {
    const ws = await member(['websocket']);
    const polling = await member(['polling']);
    const packets = countPackets(ws.socket);
    const raw: string[] = [];
    ws.client.io.engine.on('packet', ({ type, data }) => {
      if (type === 'message') raw.push(String(data));
    });
    const received = [ws, polling].map(({ client }) => receive(client, 2));
    const notes = [
      { n: 1, text: 'a/b "é🙂"' },
      { n: 2, text: '</script>' },
    ];
    // What Redis's cjson writes for these: its own key order, `/` as `\/`.
    const stored = ['{"text":"a\\/b \\"é🙂\\"","n":1}', '{"text":"<\\/script>","n":2}'];
    notes.forEach((note, i) => expect(broadcastLocally(server(), 'r1', 'note', note, stored[i])).toBe(2));
    for (const got of await Promise.all(received)) expect(got).toEqual(notes);
    // The WebSocket member got the shared frame, carrying the given JSON byte for byte (no packet of its own); the
    // polling member socket.io's own encoding of the same note.
    expect(raw).toEqual(stored.map((json) => `2["note",${json}]`));
    expect(packets()).toBe(0);
  });

  it('sends through socket.io to a long-polling member, in the same order as everyone else', async () => {
    const ws = await member(['websocket']);
    const polling = await member(['polling']);
    const pollingPackets = countPackets(polling.socket);
    const received = [ws, polling].map(({ client }) => receive(client, 30));
    for (let n = 1; n <= 30; n++) broadcastLocally(server(), 'r1', 'note', { n, text: `m${n}` });
    const expected = Array.from({ length: 30 }, (_, i) => ({ n: i + 1, text: `m${i + 1}` }));
    for (const got of await Promise.all(received)) expect(got).toEqual(expected);
    expect(pollingPackets()).toBe(30);
  });

  it("keeps a member's own emits and the shared frames in the order they were made", async () => {
    const { client, socket } = await member(['websocket']);
    const received = receive(client, 60);
    for (let n = 1; n <= 60; n++) {
      if (n % 3 === 0) socket.emit('note', { n, text: 'own' });
      else broadcastLocally(server(), 'r1', 'note', { n, text: 'shared' });
    }
    expect((await received).map((note) => note.n)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('loses nothing and keeps order for a member upgrading from long-polling while broadcasts go on', async () => {
    const steady = await member(['websocket']);
    const total = 300;
    const receivedSteady = receive(steady.client, total);
    const upgrading = member(['polling', 'websocket']);
    let n = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < 5 && n < total; i++) {
        n++;
        broadcastLocally(server(), 'r1', 'note', { n, text: `m${n}` });
      }
      if (n >= total) clearInterval(timer);
    }, 1);
    const { client } = await upgrading;
    const first = n + 1;
    const receivedUpgrading = receive(client, total - first + 1);
    if (client.io.engine.transport.name !== 'websocket') {
      await new Promise<void>((resolve) => client.io.engine.once('upgrade', () => resolve()));
    }
    expect(client.io.engine.transport.name).toBe('websocket');
    expect((await receivedSteady).map((note) => note.n)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const got = (await receivedUpgrading).map((note) => note.n);
    expect(got).toEqual(Array.from({ length: total - first + 1 }, (_, i) => first + i));
  });
});
