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
  Message,
  PresenceEvent,
  RoomClosedEvent,
  SendMessageRequest,
  SendMessageResult,
  ServerToClientEvents,
} from '@tiny-chat/shared-types';
import type { ClientError } from './client-error';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'disconnected';

/** An ack as the app sees it: the server's failure, or one of ours when the server never answered. */
export type ChatAck<T> = { ok: true; data: T } | { ok: false; error: ClientError };

type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type TimedSocket = ReturnType<TypedSocket['timeout']>;

const ACK_TIMEOUT_MS = 8000;

@Injectable({ providedIn: 'root' })
export class ChatSocket implements OnDestroy {
  private socket: TypedSocket | null = null;
  private readonly statusSignal = signal<ConnectionStatus>('idle');
  private readonly messageSubject = new Subject<Message>();
  private readonly presenceSubject = new Subject<PresenceEvent>();
  private readonly closedSubject = new Subject<RoomClosedEvent>();
  private readonly reconnectedSubject = new Subject<void>();
  private connectedOnce = false;

  readonly status = this.statusSignal.asReadonly();
  readonly messages$: Observable<Message> = this.messageSubject.asObservable();
  readonly presence$: Observable<PresenceEvent> = this.presenceSubject.asObservable();
  readonly closed$: Observable<RoomClosedEvent> = this.closedSubject.asObservable();
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

  /** Closes the connection (leaving the room page); the next request opens a fresh one. */
  disconnect(): void {
    const socket = this.socket;
    this.socket = null;
    this.connectedOnce = false;
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
    if (socket.connected) return Promise.resolve(socket);
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
      this.statusSignal.set('connected');
      if (this.connectedOnce) this.reconnectedSubject.next();
      this.connectedOnce = true;
    });
    socket.on('disconnect', (reason) => {
      this.statusSignal.set('disconnected');
      // socket.io reconnects by itself except when the server ended the session: then ask again.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', () => this.statusSignal.set('disconnected'));
    socket.on('message:new', (message) => this.messageSubject.next(message));
    socket.on('room:presence', (event) => this.presenceSubject.next(event));
    socket.on('room:closed', (event) => this.closedSubject.next(event));
    return socket;
  }
}
