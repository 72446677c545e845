/** The socket.io server settings tiny-chat insists on: allowed origins at the handshake, small frames, no deflate. */
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '../config/app-config';
import { isOriginAllowed } from '../limits/origin-policy';

/** Frames above this are refused (the connection that sent it is closed); a 1000-code-point message needs < 7 KB. */
export const MAX_FRAME_BYTES = 16 * 1024;

export class ChatIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    protected readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const allowed = this.config.allowedOrigins;
    return super.createIOServer(port, {
      ...options,
      serveClient: false,
      perMessageDeflate: false,
      httpCompression: false,
      // Room for the longest legal message even when MAX_MESSAGE_LENGTH is raised (6 bytes per escaped code point).
      maxHttpBufferSize: Math.max(MAX_FRAME_BYTES, this.config.maxMessageLength * 6 + 1024),
      // CORS does not protect WebSockets: check the Origin of every handshake.
      allowRequest: (req, callback) => callback(null, isOriginAllowed(req.headers.origin, req.headers.host, allowed)),
      cors: allowed.length > 0 ? { origin: allowed.includes('*') ? true : allowed } : undefined,
    } as ServerOptions) as Server;
  }
}
