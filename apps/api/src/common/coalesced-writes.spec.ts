import {
  connect as connectTcp,
  createServer as createNetServer,
  type AddressInfo,
  type Socket as TcpSocket,
} from 'node:net';
import type { Socket } from 'socket.io';
import type { Socket as ClientSocket } from 'socket.io-client';
import { receive as receiveEvents, SocketIoLoopback } from '../testing/socket-io-loopback';
import { coalesceStreamWrites, MAX_HOLD_MS } from './coalesced-writes';

/** The TCP socket under a server-side socket.io connection (engine.io transport -> ws -> net). */
function tcpOf(socket: Socket): TcpSocket | undefined {
  const transport = socket.conn.transport as unknown as { socket?: { _socket?: TcpSocket } };
  return transport.socket?._socket;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('coalesceWrites (real socket.io server and client)', () => {
  const loopback = new SocketIoLoopback();
  beforeEach(() => loopback.start());
  afterEach(() => loopback.stop());
  const connect = (transports: string[]) => loopback.connect(transports);
  const receive = (client: ClientSocket, count: number) => receiveEvents<number>(client, 'n', count);

  it('holds a turn of frames in the corked TCP socket and writes them together, in order, when the turn ends', async () => {
    const { client, socket } = await connect(['websocket']);
    const received = receive(client, 50);
    const tcp = tcpOf(socket)!;
    for (let n = 1; n <= 50; n++) socket.emit('n', n);
    // Still this turn: nothing has reached the kernel, all 50 frames wait in the cork.
    expect(tcp.writableCorked).toBe(1);
    expect(tcp.writableLength).toBeGreaterThan(50 * 4);
    await nextTurn();
    expect(tcp.writableCorked).toBe(0);
    expect(await received).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('keeps acks and broadcasts of the same turn in order', async () => {
    const { client, socket } = await connect(['websocket']);
    socket.on('ask', (n: number, ack: (reply: number) => void) => {
      socket.emit('n', n);
      ack(n * 10);
    });
    const received = receive(client, 20);
    const acks = await Promise.all(Array.from({ length: 20 }, (_, i) => client.emitWithAck('ask', i + 1)));
    expect(acks).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 10));
    expect(await received).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('corks a connection that upgraded from long-polling, and leaves polling alone', async () => {
    const polling = await connect(['polling']);
    expect(tcpOf(polling.socket)).toBeUndefined();
    const pollReceived = receive(polling.client, 5);
    for (let n = 1; n <= 5; n++) polling.socket.emit('n', n);
    expect(await pollReceived).toEqual([1, 2, 3, 4, 5]);

    const upgrading = await connect(['polling', 'websocket']);
    await new Promise<void>((resolve) => upgrading.socket.conn.once('upgrade', () => resolve()));
    const received = receive(upgrading.client, 10);
    for (let n = 1; n <= 10; n++) upgrading.socket.emit('n', n);
    expect(tcpOf(upgrading.socket)?.writableCorked).toBe(1);
    expect(await received).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('still closes cleanly: a frame sent just before disconnect arrives first', async () => {
    const { client, socket } = await connect(['websocket']);
    const received = receive(client, 1);
    const closed = new Promise<string>((resolve) => client.once('disconnect', resolve));
    socket.emit('n', 42);
    socket.disconnect(true);
    expect(await received).toEqual([42]);
    expect(await closed).toBe('io server disconnect');
  });
});

describe('coalesceStreamWrites (real TCP connection)', () => {
  it('corks the stream for the rest of the turn and delivers every chunk, in order', async () => {
    const received: Buffer[] = [];
    const tcpServer = createNetServer((conn) => conn.on('data', (chunk) => received.push(chunk)));
    await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
    const client = connectTcp((tcpServer.address() as AddressInfo).port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    try {
      coalesceStreamWrites(client);
      for (let n = 0; n < 100; n++) client.write(`${n};`);
      expect(client.writableCorked).toBe(1);
      await nextTurn();
      expect(client.writableCorked).toBe(0);
      const expected = Array.from({ length: 100 }, (_, n) => `${n};`).join('');
      await waitUntil(() => Buffer.concat(received).length >= expected.length);
      expect(Buffer.concat(received).toString()).toBe(expected);
    } finally {
      client.destroy();
      tcpServer.close();
    }
  });
});

describe('coalesceStreamWrites hold limit (real TCP connections)', () => {
  it('lets held writes go once a turn has held them for MAX_HOLD_MS, and corks again for the rest of the turn', async () => {
    const received = new Map<string, string>();
    const tcpServer = createNetServer((conn) =>
      conn.on('data', (chunk) => {
        const text = chunk.toString();
        const from = text.charAt(0);
        received.set(from, (received.get(from) ?? '') + text);
      }),
    );
    await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
    const port = (tcpServer.address() as AddressInfo).port;
    const [a, b] = [connectTcp(port, '127.0.0.1'), connectTcp(port, '127.0.0.1')];
    await Promise.all([a, b].map((c) => new Promise<void>((resolve) => c.once('connect', () => resolve()))));
    try {
      coalesceStreamWrites(a);
      coalesceStreamWrites(b);
      a.write('a1;');
      expect(a.writableCorked).toBe(1);
      // The same turn goes on (a long run of I/O callbacks): past the limit, the next cork flushes what waits.
      const busyUntil = performance.now() + MAX_HOLD_MS + 1;
      while (performance.now() < busyUntil);
      b.write('b1;');
      expect(a.writableCorked).toBe(0);
      expect(b.writableCorked).toBe(1);
      a.write('a2;');
      expect(a.writableCorked).toBe(1);
      await nextTurn();
      expect([a.writableCorked, b.writableCorked]).toEqual([0, 0]);
      await waitUntil(() => received.get('a') === 'a1;a2;' && received.get('b') === 'b1;');
      expect(Object.fromEntries(received)).toEqual({ a: 'a1;a2;', b: 'b1;' });
    } finally {
      a.destroy();
      b.destroy();
      tcpServer.close();
    }
  });
});

async function waitUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
