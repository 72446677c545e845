// The load generator's side of the two wire protocols, spoken directly over `ws` so one core can keep a server busy:
// - `raw`: the ceiling server's protocol (room and nick in the URL, `{"text":...}` up, the message object down);
// - `socketio`: Engine.IO v4 / Socket.IO v5 (open `0{...}`, connect `40`, events `42[...]`, acks `42<id>[...]` and
//   `43<id>[...]`, ping `2` answered by pong `3`), the way tiny-chat's real clients talk to it.
// Deliveries (`message:new`) are recognised by a few byte checks and their `id` read without JSON.parse: a member
// receives hundreds of thousands of them per second.
import WebSocket from 'ws';

const CONNECT_TIMEOUT_MS = 15_000;
const ACK_TIMEOUT_MS = 15_000;
const ID_KEY = Buffer.from('"id":');
const TEXT_KEY = Buffer.from('"text":"');
const ZERO = 0x30;

/** Text of every load message: a 15-digit send time in microseconds, padded with `x` to 100 bytes. */
export const TEXT_BYTES = 100;
const PADDING = 'x'.repeat(TEXT_BYTES - 15);
export const textAt = (micros) => String(Math.floor(micros)).padStart(15, '0') + PADDING;

/** Reads the non-negative integer written at `start` (digits up to the first other byte). */
function readInt(data, start) {
  let value = 0;
  for (let i = start; i < data.length; i++) {
    const digit = data[i] - ZERO;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

/** Send time (µs) carried at the start of a delivered message's text. */
export function sentMicrosOf(data) {
  const at = data.indexOf(TEXT_KEY);
  return at < 0 ? Number.NaN : readInt(data, at + TEXT_KEY.length);
}

function opened(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: CONNECT_TIMEOUT_MS,
    });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * One room member as the load generator sees it. `sink.delivered(member, id, frame)` gets every `message:new`;
 * `sink.failed(member, reason)` every refused send or dropped connection.
 */
class Member {
  constructor(sink, room, nick) {
    this.sink = sink;
    this.room = room;
    this.nick = nick;
    /** Highest message id received in order. */
    this.lastId = 0;
    /** Ids skipped (lost unless they turn up later) and ids received at or below lastId (late or duplicate). */
    this.skipped = 0;
    this.misordered = 0;
    this.closing = false;
    /** @type {WebSocket | undefined} */
    this.socket = undefined;
  }

  watchClose() {
    this.socket?.on('close', () => {
      if (!this.closing) this.sink.failed(this, 'connection closed by the server');
    });
    this.socket?.on('error', (error) => this.sink.failed(this, `socket error: ${error.message}`));
  }

  close() {
    this.closing = true;
    this.socket?.terminate();
  }
}

/** A member of the raw ws ceiling server. */
export class RawMember extends Member {
  async join(baseUrl) {
    const url = `${baseUrl}/?room=${encodeURIComponent(this.room.id)}&nick=${encodeURIComponent(this.nick)}`;
    this.socket = await opened(url);
    this.watchClose();
    this.socket.on('message', (data) => {
      // `{"id":<n>,...`
      if (data[0] === 0x7b && data[2] === 0x69) this.sink.delivered(this, readInt(data, 6), data);
    });
  }

  send(text) {
    this.socket?.send(`{"text":"${text}"}`);
  }
}

/** A member of a socket.io server (plain or tiny-chat), joined through `room:join` with its nick. */
export class SocketIoMember extends Member {
  constructor(sink, room, nick) {
    super(sink, room, nick);
    this.nextAckId = 0;
    /** @type {Map<number, (frame: Buffer, bodyAt: number) => void>} */
    this.acks = new Map();
    this.userToken = undefined;
    this.sendPrefix = '';
  }

  async join(baseUrl) {
    this.socket = await opened(`${baseUrl}/socket.io/?EIO=4&transport=websocket`);
    this.watchClose();
    const connected = new Promise((resolve, reject) => {
      this.onConnect = resolve;
      this.onConnectError = reject;
    });
    this.socket.on('message', (data) => this.onFrame(data));
    this.socket.send('40');
    await withTimeout(connected, CONNECT_TIMEOUT_MS, 'socket.io connect');
    const ack = await this.request('room:join', { roomId: this.room.id, nick: this.nick });
    if (!ack?.ok) throw new Error(`room:join refused: ${JSON.stringify(ack)}`);
    this.userToken = ack.data?.userToken;
    const request = { roomId: this.room.id, ...(this.userToken ? { userToken: this.userToken } : {}), text: '' };
    // Everything of the `message:send` event but the text, which is plain ASCII and needs no escaping.
    this.sendPrefix = JSON.stringify(['message:send', request]).slice(0, -3);
  }

  /** Sends one message; a refused ack is reported to the sink. */
  send(text) {
    const id = this.nextAckId++;
    this.acks.set(id, (frame, bodyAt) => {
      // `43<id>[{"ok":true,...`
      if (frame[bodyAt + 1] !== 0x7b || frame[bodyAt + 3] !== 0x6f || frame[bodyAt + 7] !== 0x74) {
        this.sink.failed(this, `message:send refused: ${frame.toString('utf8', bodyAt, bodyAt + 200)}`);
      }
    });
    this.socket?.send(`42${id}${this.sendPrefix}${text}"}]`);
  }

  /** Emits an event with an ack and resolves with the ack's payload. */
  request(event, payload) {
    const id = this.nextAckId++;
    return withTimeout(
      new Promise((resolve) => {
        this.acks.set(id, (frame, bodyAt) => resolve(JSON.parse(frame.toString('utf8', bodyAt))[0]));
        this.socket?.send(`42${id}${JSON.stringify([event, payload])}`);
      }),
      ACK_TIMEOUT_MS,
      event,
    );
  }

  onFrame(data) {
    const type = data[0];
    if (type === 0x34 /* 4: message */) {
      const kind = data[1];
      if (kind === 0x32 /* 2: event */) {
        // `42["message:new",{"id":<n>,...`; other events (presence) are ignored.
        if (data[4] === 0x6d) {
          const at = data.indexOf(ID_KEY, 17);
          this.sink.delivered(this, readInt(data, at + ID_KEY.length), data);
        }
      } else if (kind === 0x33 /* 3: ack */) {
        let bodyAt = 2;
        while (data[bodyAt] !== 0x5b /* [ */ && bodyAt < data.length) bodyAt++;
        const id = readInt(data, 2);
        const handler = this.acks.get(id);
        this.acks.delete(id);
        handler?.(data, bodyAt);
      } else if (kind === 0x30 /* 0: connect */) {
        this.onConnect?.();
      } else if (kind === 0x34 /* 4: connect error */) {
        this.onConnectError?.(new Error(`socket.io connect refused: ${data.toString()}`));
      }
    } else if (type === 0x32 /* 2: ping */) {
      this.socket?.send('3');
    }
  }
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
