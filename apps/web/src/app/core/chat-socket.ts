/** The socket.io edge of the SPA: the only file that imports socket.io-client. Acks become Promises, events Observables. */
import { Injectable, OnDestroy, signal } from '@angular/core';
import { Observable, Subject } from 'rxjs';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  JoinRequest,
  JoinResult,
  LeaveRequest,
  LeaveResult,
  ListMessagesRequest,
  ListMessagesResult,
  NewMessageEvent,
  PresenceEvent,
  RoomClosedEvent,
  SendMessageRequest,
  SendMessageResult,
  ServerToClientEvents,
  TouchRequest,
  TouchResult,
  TypingEvent,
  TypingRequest,
  TypingResult,
} from '@tiny-chat/shared-types';
import type { ClientError } from './client-error';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'disconnected';

/** An ack as the app sees it: the server's failure, or one of ours when the server never answered. */
export type ChatAck<T> = { ok: true; data: T } | { ok: false; error: ClientError };

type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type TimedSocket = ReturnType<TypedSocket['timeout']>;

const ACK_TIMEOUT_MS = 8000;
/** A server's reconnect hint is honoured up to this long. */
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * When to connect again after a disconnect: `null` leaves it to socket.io (it reconnects by itself with back-off
 * after a lost transport); a number means connect after that many ms, because the server ended the session
 * itself, after `server:restarting` asked us to wait `restartDelayMs` (spread so clients do not return at once).
 */
export function reconnectDelay(reason: string, restartDelayMs: number | null): number | null {
  if (reason !== 'io server disconnect') return null;
  if (restartDelayMs === null || !Number.isFinite(restartDelayMs)) return 0;
  return Math.min(Math.max(0, restartDelayMs), MAX_RESTART_DELAY_MS);
}

/**
 * When to ask again after the server refused a connection (a draining instance answers connect_error SHUTTING_DOWN):
 * socket.io gives up on a refusal, so we retry, doubling from 0.5 s up to 10 s, each delay spread between half and
 * all of it so refused clients do not come back at once.
 */
export function refusedConnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(500 * 2 ** Math.max(0, attempt), 10_000);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

@Injectable({ providedIn: 'root' })
export class ChatSocket implements OnDestroy {
  private socket: TypedSocket | null = null;
  private readonly statusSignal = signal<ConnectionStatus>('idle');
  private readonly messageSubject = new Subject<NewMessageEvent>();
  private readonly presenceSubject = new Subject<PresenceEvent>();
  private readonly closedSubject = new Subject<RoomClosedEvent>();
  private readonly typingSubject = new Subject<TypingEvent>();
  private readonly reconnectedSubject = new Subject<void>();
  private connectedOnce = false;
  /** Set by server:restarting until the next connect: the instance is draining, new requests wait for a new one. */
  private restartDelayMs: number | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  /** Connections refused in a row since the last connect. */
  private refusals = 0;

  private readonly restartAnnouncedSignal = signal(false);

  readonly status = this.statusSignal.asReadonly();
  /** The server said `server:restarting` on this connection: a room gone after it was lost to the restart. */
  readonly restartAnnounced = this.restartAnnouncedSignal.asReadonly();
  readonly messages$: Observable<NewMessageEvent> = this.messageSubject.asObservable();
  readonly presence$: Observable<PresenceEvent> = this.presenceSubject.asObservable();
  readonly closed$: Observable<RoomClosedEvent> = this.closedSubject.asObservable();
  /** room:typing: another member of a room is typing. */
  readonly typing$: Observable<TypingEvent> = this.typingSubject.asObservable();
  /** Fires on every connect after the first one: the server forgot our room membership, so callers rejoin. */
  readonly reconnected$: Observable<void> = this.reconnectedSubject.asObservable();

  join(request: JoinRequest): Promise<ChatAck<JoinResult>> {
    return this.request((s) => s.emitWithAck('room:join', request));
  }

  leave(request: LeaveRequest): Promise<ChatAck<LeaveResult>> {
    return this.request((s) => s.emitWithAck('room:leave', request));
  }

  send(request: SendMessageRequest): Promise<ChatAck<SendMessageResult>> {
    return this.request((s) => s.emitWithAck('message:send', request));
  }

  list(request: ListMessagesRequest): Promise<ChatAck<ListMessagesResult>> {
    return this.request((s) => s.emitWithAck('message:list', request));
  }

  touch(request: TouchRequest): Promise<ChatAck<TouchResult>> {
    return this.request((s) => s.emitWithAck('room:touch', request));
  }

  typing(request: TypingRequest): Promise<ChatAck<TypingResult>> {
    return this.request((s) => s.emitWithAck('room:typing', request));
  }

  /** Closes the connection (leaving the room page); the next request opens a fresh one. */
  disconnect(): void {
    const socket = this.socket;
    this.socket = null;
    this.connectedOnce = false;
    this.restartDelayMs = null;
    this.refusals = 0;
    this.restartAnnouncedSignal.set(false);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    socket?.removeAllListeners();
    socket?.disconnect();
    this.statusSignal.set('idle');
  }

  ngOnDestroy(): void {
    this.disconnect();
  }

  private async request<T>(emit: (socket: TimedSocket) => Promise<Ack<T>>): Promise<ChatAck<T>> {
    const socket = await this.connected();
    if (!socket) return { ok: false, error: { code: 'DISCONNECTED', message: 'not connected' } };
    try {
      return await emit(socket.timeout(ACK_TIMEOUT_MS));
    } catch {
      return { ok: false, error: { code: 'TIMEOUT', message: 'no answer from the server' } };
    }
  }

  /** Connects on first use; resolves with the socket once connected, or null if that fails in time. */
  private connected(): Promise<TypedSocket | null> {
    const socket = this.socket ?? this.open();
    // A draining server takes no new work: wait for the connection to the next instance.
    if (socket.connected && this.restartDelayMs === null) return Promise.resolve(socket);
    return new Promise((resolve) => {
      const done = (value: TypedSocket | null) => {
        clearTimeout(timer);
        socket.off('connect', onConnect);
        resolve(value);
      };
      const onConnect = () => done(socket);
      const timer = setTimeout(() => done(null), ACK_TIMEOUT_MS);
      socket.on('connect', onConnect);
    });
  }

  private open(): TypedSocket {
    const socket: TypedSocket = io({ transports: ['websocket', 'polling'], tryAllTransports: true });
    this.socket = socket;
    this.statusSignal.set('connecting');
    socket.on('connect', () => {
      this.restartDelayMs = null;
      this.refusals = 0;
      this.statusSignal.set('connected');
      if (this.connectedOnce) this.reconnectedSubject.next();
      this.connectedOnce = true;
    });
    socket.on('disconnect', (reason) => {
      this.statusSignal.set('disconnected');
      // socket.io reconnects by itself except when the server ended the session: then ask again, after the
      // delay a restarting server asked for. Should that attempt fail, socket.io's back-off takes over.
      const delay = reconnectDelay(reason, this.restartDelayMs);
      if (delay !== null) this.connectLater(socket, delay);
    });
    socket.on('server:restarting', (event) => {
      this.restartDelayMs = event.reconnectAfterMs;
      this.restartAnnouncedSignal.set(true);
    });
    socket.on('connect_error', () => {
      this.statusSignal.set('disconnected');
      // Inactive: the server refused us (SHUTTING_DOWN) rather than being out of reach, and socket.io has given up
      // and closed that connection. The next attempt opens a new one, which a load balancer may send elsewhere.
      if (!socket.active) this.connectLater(socket, refusedConnectDelay(this.refusals++));
    });
    socket.on('message:new', (message) => this.messageSubject.next(message));
    socket.on('room:presence', (event) => this.presenceSubject.next(event));
    socket.on('room:closed', (event) => this.closedSubject.next(event));
    socket.on('room:typing', (event) => this.typingSubject.next(event));
    return socket;
  }

  private connectLater(socket: TypedSocket, delayMs: number): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.socket === socket) socket.connect();
    }, delayMs);
  }
}
