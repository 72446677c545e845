// The honest ceiling: raw-ws.mjs's protocol, with the two things a fan-out server can do for free on top of it and
// tiny-chat does too. Each message's WebSocket frame (header and payload) is built once, not once per member, and
// written straight to each member's TCP socket; a socket is corked at its first write of the event-loop turn and one
// setImmediate uncorks them all, so a member gets one write (one syscall) per turn however many messages it brought.
// A client joins by URL (/?room=<id>&nick=<nick>) and sends `{"text":"..."}`; every member of the room, the sender
// included, receives `{ id, roomId, nick, text, sentAt }` with `id` the room's sequence 1, 2, 3, ...
// Usage: node raw-ws-batched.mjs <port>; prints "READY <port>" once listening.
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
/** @type {Map<string, { seq: number, members: Set<import('node:net').Socket> }>} */
const rooms = new Map();
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 64 * 1024 });

/** An unmasked, final text frame (a server never masks): 2, 4 or 10 header bytes, then the payload. */
function textFrame(text) {
  const length = Buffer.byteLength(text);
  const headerBytes = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = 0x81;
  if (headerBytes === 2) frame[1] = length;
  else if (headerBytes === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, headerBytes);
  return frame;
}

/** Sockets corked during this turn of the event loop, uncorked together by one setImmediate. */
const corked = new Set();
const uncorkAll = () => {
  for (const socket of corked) socket.uncork();
  corked.clear();
};

function write(socket, frame) {
  if (!socket.writable) return;
  if (!corked.has(socket)) {
    if (corked.size === 0) setImmediate(uncorkAll);
    socket.cork();
    corked.add(socket);
  }
  socket.write(frame);
}

wss.on('connection', (ws, request) => {
  const params = new URL(request.url ?? '/', 'http://x').searchParams;
  const roomId = params.get('room') ?? '';
  const nick = params.get('nick') ?? '';
  // The upgraded TCP socket ws reads from and writes to: frames written here need no copy through ws's Sender.
  const socket = request.socket;
  let room = rooms.get(roomId);
  if (!room) rooms.set(roomId, (room = { seq: 0, members: new Set() }));
  room.members.add(socket);
  ws.on('message', (data) => {
    let text;
    try {
      text = JSON.parse(String(data)).text;
    } catch {
      return;
    }
    if (typeof text !== 'string') return;
    room.seq += 1;
    const frame = textFrame(JSON.stringify({ id: room.seq, roomId, nick, text, sentAt: new Date().toISOString() }));
    for (const member of room.members) write(member, frame);
  });
  ws.on('close', () => room.members.delete(socket));
});

wss.on('listening', () => {
  const address = wss.address();
  console.log(`READY ${typeof address === 'object' ? address.port : port}`);
});
