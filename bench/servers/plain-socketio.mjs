// What a user would write by hand with socket.io: join a room, broadcast to it, ack the sender.
// Same events and message shape as tiny-chat (room:join, message:send -> message:new with a per-room `id`),
// without validation, tokens, history or presence.
// Usage: node plain-socketio.mjs <port>; prints "READY <port>" once listening.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
/** @type {Map<string, number>} */
const sequences = new Map();
const http = createServer();
const io = new Server(http, { serveClient: false, perMessageDeflate: false });

io.on('connection', (socket) => {
  socket.on('room:join', (request, ack) => {
    const { roomId, nick } = request ?? {};
    if (typeof roomId !== 'string' || typeof nick !== 'string') return ack?.({ ok: false });
    socket.data = { roomId, nick };
    void socket.join(roomId);
    ack?.({ ok: true, data: { nick } });
  });
  socket.on('message:send', (request, ack) => {
    const { roomId, nick } = socket.data ?? {};
    if (roomId === undefined || typeof request?.text !== 'string') return ack?.({ ok: false });
    const id = (sequences.get(roomId) ?? 0) + 1;
    sequences.set(roomId, id);
    const message = { id, roomId, nick, text: request.text, sentAt: new Date().toISOString() };
    io.to(roomId).emit('message:new', message);
    ack?.({ ok: true, data: { message } });
  });
});

http.listen(port, '127.0.0.1', () => {
  const address = http.address();
  console.log(`READY ${typeof address === 'object' && address ? address.port : port}`);
});
