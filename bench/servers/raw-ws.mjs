// The ceiling: the smallest fan-out server over raw `ws` (no framework, no validation beyond JSON.parse).
// A client joins by URL (/?room=<id>&nick=<nick>) and sends `{"text":"..."}`; every member of the room,
// the sender included, receives `{ id, roomId, nick, text, sentAt }` with `id` the room's sequence 1, 2, 3, ...
// Usage: node raw-ws.mjs <port>; prints "READY <port>" once listening.
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
/** @type {Map<string, { seq: number, members: Set<import('ws').WebSocket> }>} */
const rooms = new Map();
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 64 * 1024 });

wss.on('connection', (socket, request) => {
  const params = new URL(request.url ?? '/', 'http://x').searchParams;
  const roomId = params.get('room') ?? '';
  const nick = params.get('nick') ?? '';
  let room = rooms.get(roomId);
  if (!room) rooms.set(roomId, (room = { seq: 0, members: new Set() }));
  room.members.add(socket);
  socket.on('message', (data) => {
    let text;
    try {
      text = JSON.parse(String(data)).text;
    } catch {
      return;
    }
    if (typeof text !== 'string') return;
    room.seq += 1;
    // Encoded once, written to every member (what socket.io does for a broadcast too).
    const frame = Buffer.from(JSON.stringify({ id: room.seq, roomId, nick, text, sentAt: new Date().toISOString() }));
    for (const member of room.members) member.send(frame, { binary: false });
  });
  socket.on('close', () => room.members.delete(socket));
});

wss.on('listening', () => {
  const address = wss.address();
  console.log(`READY ${typeof address === 'object' ? address.port : port}`);
});
