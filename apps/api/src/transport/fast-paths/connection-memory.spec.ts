import type { Socket } from 'socket.io';
import { receive, SocketIoLoopback } from '../../testing/socket-io-loopback';
import { trimConnection } from './connection-memory';
import { FastPaths } from './fast-paths';

describe('connection tricks on a real socket.io connection', () => {
  const loopback = new SocketIoLoopback();
  beforeEach(() => loopback.start());
  afterEach(() => loopback.stop());

  // Node itself owns EventEmitter's `_events`: no dependency release can rename it, so the test hands the trick a
  // socket whose table is an ordinary object instead.
  it('turns compact-listener-tables off with one warning when a listener table is not a null-prototype object', async () => {
    const { client, socket } = await loopback.connect(['websocket']);
    const holder = socket as unknown as { _events: object };
    holder._events = Object.assign({}, holder._events);
    const lines: string[] = [];
    trimConnection(socket, new FastPaths(true, (line) => lines.push(line)));
    expect(lines).toEqual([
      'fast path compact-listener-tables disabled: an EventEmitter has no null-prototype `_events`',
    ]);
    const heard = receive<string>(client, 'hello', 1);
    socket.emit('hello', 'still served');
    expect(await heard).toEqual(['still served']);
  });

  it('applies every trick to a healthy connection without a warning, and the connection is served', async () => {
    const { client, socket } = await loopback.connect(['websocket']);
    const lines: string[] = [];
    trimConnection(socket as Socket, new FastPaths(true, (line) => lines.push(line)));
    expect(lines).toEqual([]);
    expect(socket.rooms.has(socket.id)).toBe(false);
    const heard = receive<string>(client, 'hello', 1);
    socket.emit('hello', 'trimmed');
    expect(await heard).toEqual(['trimmed']);
  });
});
