/**
 * A socket.io client spoken by hand over a raw TCP connection (WebSocket frames, engine.io and socket.io packets), for
 * attacks socket.io-client cannot make: it can stop reading (`pause`) while it keeps sending.
 */
import { randomBytes } from 'node:crypto';
import { createConnection, type Socket } from 'node:net';

export interface RawChatClient {
  socket: Socket;
  /** Everything received so far (frame headers included), as latin1. */
  received(): string;
  /** Sends one socket.io event with an ack id. */
  emit(event: string, payload: unknown, ackId: number): void;
  /** Resolves with the first match of `pattern` in what was received. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  closed: Promise<void>;
}

/** A masked client text frame (RFC 6455). */
function frame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const mask = randomBytes(4);
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x81, 0x80 | length])
      : length < 65536
        ? Buffer.from([0x81, 0x80 | 126, length >> 8, length & 0xff])
        : Buffer.concat([
            Buffer.from([0x81, 0x80 | 127]),
            Buffer.from(new BigUint64Array([BigInt(length)]).buffer).reverse(),
          ]);
  for (let i = 0; i < length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return Buffer.concat([header, mask, payload]);
}

export async function rawChatClient(url: string, localAddress: string): Promise<RawChatClient> {
  const { hostname, port } = new URL(url);
  const socket = createConnection({ host: hostname, port: Number(port), localAddress });
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const waitFor = async (pattern: RegExp, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = text.match(pattern);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`no ${String(pattern)} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await waitFor(/"sid"/);
  socket.write(frame('40'));
  await waitFor(/40\{"sid"/);
  return {
    socket,
    received: () => text,
    emit: (event, payload, ackId) => socket.write(frame(`42${ackId}${JSON.stringify([event, payload])}`)),
    waitFor,
    closed,
  };
}
