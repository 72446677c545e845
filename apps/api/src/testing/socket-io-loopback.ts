/** For specs: a real socket.io server on a loopback port, with tiny-chat's coalesced writes, and real clients. */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { corkWebSocketWrites } from '../transport/fast-paths/corked-websocket-writes';
import { DEFAULT_FAST_PATHS } from '../transport/fast-paths/fast-paths';

export class SocketIoLoopback {
  server!: Server;
  private http!: HttpServer;
  private url = '';
  private readonly clients: ClientSocket[] = [];

  async start(): Promise<void> {
    this.http = createServer();
    this.server = new Server(this.http, { serveClient: false, perMessageDeflate: false });
    corkWebSocketWrites(DEFAULT_FAST_PATHS);
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const client of this.clients.splice(0)) client.disconnect();
    await this.server.close();
  }

  /** A client over `transports` and its server-side socket, once both sides are connected (one at a time). */
  async connect(transports: string[]): Promise<{ client: ClientSocket; socket: Socket }> {
    const serverSide = new Promise<Socket>((resolve) => this.server.once('connection', resolve));
    const client = io(this.url, { transports, forceNew: true, reconnection: false });
    this.clients.push(client);
    const socket = await serverSide;
    await new Promise<void>((resolve) => (client.connected ? resolve() : client.once('connect', () => resolve())));
    return { client, socket };
  }
}

/** The first `count` payloads of `event` the client receives, in order. */
export function receive<T>(client: ClientSocket, event: string, count: number): Promise<T[]> {
  return new Promise((resolve) => {
    const got: T[] = [];
    client.on(event, (payload: T) => {
      got.push(payload);
      if (got.length === count) resolve(got);
    });
  });
}
