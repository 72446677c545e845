import { TestBed } from '@angular/core/testing';
import { signal } from '@angular/core';
import { Subject } from 'rxjs';
import type {
  JoinRequest,
  JoinResult,
  LeaveRequest,
  ListMessagesRequest,
  ListMessagesResult,
  NewMessageEvent,
  PresenceEvent,
  RoomClosedEvent,
  RoomDetails,
  SendMessageRequest,
  SendMessageResult,
  TouchRequest,
  TouchResult,
  TypingEvent,
  TypingRequest,
} from '@tiny-chat/shared-types';
import { ChatSocket, type ChatAck, type ConnectionStatus } from '../core/chat-socket';
import { CLOCK } from '../core/clock';
import { MemberMemory } from '../core/member-memory';
import { RoomsApi, type ApiResult } from '../core/rooms-api';
import { TabChannel } from '../core/tab-channel';
import { RoomStore } from './room-store';

const ROOM = 'room-1234567890abcdefgh';
const T0 = Date.parse('2026-03-01T10:00:00Z');

/** A promise the test settles by hand, to order acks and events exactly like the server may. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Stands in for the network edge; the store under test is real. */
class FakeChatSocket {
  readonly status = signal<ConnectionStatus>('connected');
  readonly messages$ = new Subject<NewMessageEvent>();
  readonly presence$ = new Subject<PresenceEvent>();
  readonly closed$ = new Subject<RoomClosedEvent>();
  readonly typing$ = new Subject<TypingEvent>();
  readonly reconnected$ = new Subject<void>();
  readonly typings: TypingRequest[] = [];
  typing(request: TypingRequest) {
    this.typings.push(request);
    return Promise.resolve({ ok: true as const, data: {} });
  }
  readonly restartAnnounced = signal(false);
  readonly touches: TouchRequest[] = [];
  touchAnswers: Array<Promise<ChatAck<TouchResult>>> = [];
  touch(request: TouchRequest) {
    this.touches.push(request);
    return this.touchAnswers.shift() ?? Promise.resolve(fail<TouchResult>('INTERNAL'));
  }
  readonly joins: JoinRequest[] = [];
  readonly sends: SendMessageRequest[] = [];
  readonly lists: ListMessagesRequest[] = [];
  readonly leaves: LeaveRequest[] = [];
  joinAnswers: Array<Promise<ChatAck<JoinResult>>> = [];
  sendAnswers: Array<Promise<ChatAck<SendMessageResult>>> = [];
  listAnswers: Array<Promise<ChatAck<ListMessagesResult>>> = [];

  join(request: JoinRequest) {
    this.joins.push(request);
    return this.joinAnswers.shift() ?? Promise.resolve(fail<JoinResult>('INTERNAL'));
  }
  send(request: SendMessageRequest) {
    this.sends.push(request);
    return this.sendAnswers.shift() ?? Promise.resolve(fail<SendMessageResult>('INTERNAL'));
  }
  list(request: ListMessagesRequest) {
    this.lists.push(request);
    return this.listAnswers.shift() ?? Promise.resolve(fail<ListMessagesResult>('INTERNAL'));
  }
  leave(request: LeaveRequest) {
    this.leaves.push(request);
    return Promise.resolve({ ok: true as const, data: {} });
  }
  disconnects = 0;
  disconnect() {
    this.disconnects++;
    this.status.set('idle');
  }
}

class FakeRoomsApi {
  room: ApiResult<RoomDetails> = { ok: false, error: { code: 'ROOM_NOT_FOUND', message: '' } };
  bootId = 'boot-1';
  getRoom() {
    return Promise.resolve(this.room);
  }
  health() {
    return Promise.resolve({
      ok: true as const,
      data: { status: 'ok' as const, store: { type: 'memory' as const, available: true }, bootId: this.bootId },
    });
  }
}

function fail<T>(
  code: 'INTERNAL' | 'NICK_TAKEN' | 'TOKEN_INVALID' | 'ROOM_NOT_FOUND' | 'RATE_LIMITED' | 'SHUTTING_DOWN',
  retryAfterMs?: number,
): ChatAck<T> {
  return { ok: false, error: { code, message: 'x', ...(retryAfterMs ? { retryAfterMs } : {}) } };
}

/** The rooms' epoch in these tests (the server's is opaque). */
const EPOCH = 'e-1';

function message(id: number, nick = 'bob', extra: Partial<NewMessageEvent> = {}): NewMessageEvent {
  return {
    epoch: EPOCH,
    id,
    roomId: ROOM,
    nick,
    memberId: `id-${nick}`,
    text: `hello ${id}`,
    sentAt: new Date(T0 + id * 1000).toISOString(),
    ...extra,
  };
}

/** GET /api/rooms/:roomId of a plain room nobody joined yet. */
function emptyRoom(): RoomDetails {
  return {
    roomId: ROOM,
    encrypted: false,
    title: null,
    createdAt: '',
    expiresAt: '',
    idleExpiresAt: '',
    members: [],
    lastMessageId: 0,
  };
}

function joinResult(overrides: Partial<JoinResult> = {}): JoinResult {
  return {
    userToken: 'token-ann',
    nick: 'ann',
    memberId: 'id-ann',
    members: [
      { nick: 'ann', online: true, memberId: 'id-ann' },
      { nick: 'bob', online: true, memberId: 'id-bob' },
    ],
    messages: [],
    hasMore: false,
    expiresAt: new Date(T0 + 3_600_000).toISOString(),
    idleExpiresAt: new Date(T0 + 600_000).toISOString(),
    limits: { maxMessageLength: 1000, historyLimit: 200, idleTimeoutSec: 600 },
    epoch: EPOCH,
    encrypted: false,
    title: null,
    ...overrides,
  };
}

const ok = <T>(data: T): ChatAck<T> => ({ ok: true, data });
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('RoomStore', () => {
  let socket: FakeChatSocket;
  let api: FakeRoomsApi;
  let now: number;
  let store: RoomStore;

  beforeEach(() => {
    // Only the store's ticking interval is faked: countdowns are tested without sleeping.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    localStorage.clear();
    now = T0;
    createStore();
  });

  /** A fresh store on fresh fakes (the clock stays where the test put it). */
  function createStore(): void {
    socket = new FakeChatSocket();
    api = new FakeRoomsApi();
    TestBed.configureTestingModule({
      providers: [
        RoomStore,
        { provide: ChatSocket, useValue: socket },
        { provide: RoomsApi, useValue: api },
        { provide: CLOCK, useValue: () => now },
      ],
    });
    store = TestBed.inject(RoomStore);
  }

  afterEach(() => {
    TestBed.resetTestingModule();
    vi.useRealTimers();
  });

  async function joinAsAnn(result = joinResult()): Promise<void> {
    TestBed.inject(MemberMemory).rememberToken(ROOM, 'token-ann');
    socket.joinAnswers.push(Promise.resolve(ok(result)));
    await store.open(ROOM, null);
  }

  it('shows who is typing until 5 s after their last room:typing or until their message', async () => {
    await joinAsAnn();
    socket.typing$.next({ roomId: ROOM, nick: 'bob' });
    expect(store.typingLine()).toBe('bob is typing...');
    socket.typing$.next({ roomId: 'other-room-xxxxxxxxxxx', nick: 'eve' });
    socket.typing$.next({ roomId: ROOM, nick: 'cy' });
    expect(store.typingLine()).toBe('bob and cy are typing...');
    socket.messages$.next(message(1, 'bob'));
    expect(store.typingLine()).toBe('cy is typing...');
    now += 5000;
    vi.advanceTimersByTime(1000);
    expect(store.typingLine()).toBe('');
  });

  it('tells the room it is typing at most every 2 s', async () => {
    await joinAsAnn();
    store.noteTyping();
    store.noteTyping();
    now += 1999;
    store.noteTyping();
    now += 1;
    store.noteTyping();
    expect(socket.typings).toEqual([
      { roomId: ROOM, userToken: 'token-ann' },
      { roomId: ROOM, userToken: 'token-ann' },
    ]);
  });

  it('comes back as the remembered member without asking for a nick', async () => {
    await joinAsAnn();
    expect(socket.joins).toEqual([{ roomId: ROOM, userToken: 'token-ann' }]);
    expect(store.phase()).toBe('joined');
    expect(store.myNick()).toBe('ann');
  });

  it('shows not-found for an unknown room link', async () => {
    await store.open(ROOM, null);
    expect(store.phase()).toBe('not-found');
    expect(socket.joins).toEqual([]);
  });

  it('asks only for a nick on an existing room, then remembers the token and the nick', async () => {
    api.room = { ok: true, data: emptyRoom() };
    await store.open(ROOM, null);
    expect(store.phase()).toBe('needs-nick');

    socket.joinAnswers.push(Promise.resolve(ok(joinResult())));
    await store.joinWithNick('  ann ');
    expect(socket.joins).toEqual([{ roomId: ROOM, nick: 'ann' }]);
    expect(store.phase()).toBe('joined');
    const memory = TestBed.inject(MemberMemory);
    expect(memory.tokenFor(ROOM)).toBe('token-ann');
    expect(memory.lastNick()).toBe('ann');
  });

  it('joins straight away with the nick the lobby passed', async () => {
    socket.joinAnswers.push(Promise.resolve(ok(joinResult())));
    await store.open(ROOM, 'ann', { created: true });
    expect(socket.joins).toEqual([{ roomId: ROOM, nick: 'ann' }]);
    expect(store.phase()).toBe('joined');
  });

  it('asks for another nick with a sentence on NICK_TAKEN', async () => {
    socket.joinAnswers.push(Promise.resolve(fail<JoinResult>('NICK_TAKEN')));
    await store.open(ROOM, 'bob', { created: true });
    expect(store.phase()).toBe('needs-nick');
    expect(store.joinError()).toContain('already uses that nick');
  });

  it('forgets a rejected token and asks for a nick', async () => {
    TestBed.inject(MemberMemory).rememberToken(ROOM, 'stale');
    socket.joinAnswers.push(Promise.resolve(fail<JoinResult>('TOKEN_INVALID')));
    api.room = { ok: true, data: emptyRoom() };
    await store.open(ROOM, null);
    expect(store.phase()).toBe('needs-nick');
    expect(TestBed.inject(MemberMemory).tokenFor(ROOM)).toBeNull();
  });

  it('keeps the token and offers a retry instead of a nick prompt when the server cannot be reached', async () => {
    TestBed.inject(MemberMemory).rememberToken(ROOM, 'token-ann');
    socket.joinAnswers.push(Promise.resolve({ ok: false, error: { code: 'DISCONNECTED', message: '' } }));
    await store.open(ROOM, null);
    expect(store.phase()).toBe('unreachable');
    expect(store.joinError()).toContain('Not connected');
    expect(TestBed.inject(MemberMemory).tokenFor(ROOM)).toBe('token-ann');

    socket.joinAnswers.push(Promise.resolve(ok(joinResult())));
    await store.open(ROOM, null);
    expect(store.phase()).toBe('joined');
  });

  it('merges messages that arrive before the join ack with the history, by id and without duplicates', async () => {
    TestBed.inject(MemberMemory).rememberToken(ROOM, 'token-ann');
    const answer = deferred<ChatAck<JoinResult>>();
    socket.joinAnswers.push(answer.promise);
    const opening = store.open(ROOM, null);
    await flush();
    socket.messages$.next(message(4));
    socket.messages$.next(message(5));
    answer.resolve(ok(joinResult({ messages: [message(2), message(3), message(4)] })));
    await opening;
    expect(store.lines().map((l) => l.id)).toEqual([2, 3, 4, 5]);
  });

  it('ignores messages of other rooms', async () => {
    await joinAsAnn();
    socket.messages$.next(message(1, 'bob', { roomId: 'other-room-xxxxxxxxxxx' }));
    expect(store.lines()).toEqual([]);
  });

  it('shows an own message as sending, then sent, as one line even when the event beats the ack', async () => {
    await joinAsAnn();
    const answer = deferred<ChatAck<SendMessageResult>>();
    socket.sendAnswers.push(answer.promise);

    expect(store.send('hi all')).toBe(true);
    expect(store.lines()).toMatchObject([{ text: 'hi all', own: true, status: 'sending', id: null }]);
    const clientMsgId = socket.sends[0]?.clientMsgId;
    expect(clientMsgId).toMatch(/^[0-9a-f]{32}$/);

    const stored = message(1, 'ann', { text: 'hi all', clientMsgId });
    socket.messages$.next(stored);
    answer.resolve(ok({ message: stored, epoch: EPOCH }));
    await flush();
    expect(store.lines()).toMatchObject([{ id: 1, text: 'hi all', own: true, status: 'sent' }]);
  });

  it('marks a failed send with a sentence and retries it with the same clientMsgId', async () => {
    await joinAsAnn();
    socket.sendAnswers.push(Promise.resolve(fail<SendMessageResult>('INTERNAL')));
    store.send('again');
    await flush();
    expect(store.lines()).toMatchObject([{ status: 'failed', error: expect.any(String) }]);

    const clientMsgId = store.lines()[0]?.clientMsgId ?? '';
    socket.sendAnswers.push(
      Promise.resolve(ok({ message: message(7, 'ann', { text: 'again', clientMsgId }), epoch: EPOCH })),
    );
    store.retry(clientMsgId);
    await flush();
    expect(socket.sends.map((s) => s.clientMsgId)).toEqual([clientMsgId, clientMsgId]);
    expect(store.lines()).toMatchObject([{ id: 7, status: 'sent' }]);
    expect(store.lines()).toHaveLength(1);
  });

  it('queues RATE_LIMITED sends and sends them by themselves, in order, with their clientMsgId, after retryAfterMs', async () => {
    await joinAsAnn();
    socket.sendAnswers.push(Promise.resolve(fail<SendMessageResult>('RATE_LIMITED', 30)));
    store.send('first');
    await flush();
    store.send('second');
    expect(store.lines()).toMatchObject([
      { text: 'first', status: 'waiting', retryInMs: 30, showStatus: true },
      { text: 'second', status: 'waiting', retryInMs: 30 },
    ]);
    expect(socket.sends).toHaveLength(1);
    const [first] = socket.sends;
    socket.sendAnswers.push(
      Promise.resolve(
        ok({ message: message(1, 'ann', { text: 'first', clientMsgId: first?.clientMsgId }), epoch: EPOCH }),
      ),
    );
    socket.sendAnswers.push(
      new Promise((resolve) =>
        setTimeout(() => {
          const id = socket.sends[2]?.clientMsgId;
          resolve(ok({ message: message(2, 'ann', { text: 'second', clientMsgId: id }), epoch: EPOCH }));
        }),
      ),
    );
    now += 30;
    await new Promise((r) => setTimeout(r, 60));
    await flush();
    expect(socket.sends.map((s) => s.text)).toEqual(['first', 'first', 'second']);
    expect(socket.sends[1]?.clientMsgId).toBe(first?.clientMsgId);
    expect(store.lines()).toMatchObject([
      { id: 1, status: 'sent', showStatus: false, grouped: false },
      { id: 2, status: 'sent', showStatus: true, grouped: true },
    ]);
  });

  it('decides "mine" by memberId: a newcomer with a left member nick sees the old messages as someone else', async () => {
    await joinAsAnn(
      joinResult({
        nick: 'bob',
        memberId: 'id-new-bob',
        members: [{ nick: 'bob', online: true, memberId: 'id-new-bob' }],
        messages: [message(1, 'bob', { memberId: 'id-old-bob' })],
      }),
    );
    socket.messages$.next(message(2, 'bob', { memberId: 'id-new-bob' }));
    expect(store.lines()).toMatchObject([
      { id: 1, own: false, status: null, tag: '#id-o' },
      { id: 2, own: true, status: 'sent', tag: '#id-n' },
    ]);
  });

  it('keeps the typed nick after NICK_TAKEN', async () => {
    api.room = { ok: true, data: emptyRoom() };
    await store.open(ROOM, null);
    socket.joinAnswers.push(Promise.resolve(fail<JoinResult>('NICK_TAKEN')));
    await store.joinWithNick('Bobby Tables');
    expect(store.phase()).toBe('needs-nick');
    expect(store.suggestedNick()).toBe('Bobby Tables');
  });

  it('keeps a send answered SHUTTING_DOWN as sending and sends it again, same clientMsgId, once rejoined', async () => {
    await joinAsAnn();
    socket.sendAnswers.push(Promise.resolve(fail<SendMessageResult>('SHUTTING_DOWN', 1000)));
    store.send('during the restart');
    await flush();
    expect(store.lines()).toMatchObject([{ text: 'during the restart', status: 'sending', error: null }]);
    const clientMsgId = socket.sends[0]?.clientMsgId;

    // The server lets go of us; the reconnect (to another instance) rejoins, then the message goes again.
    socket.joinAnswers.push(Promise.resolve(ok(joinResult())));
    socket.listAnswers.push(Promise.resolve(ok({ messages: [], truncated: false, hasMore: false, epoch: EPOCH })));
    const stored = message(3, 'ann', { text: 'during the restart', clientMsgId });
    socket.sendAnswers.push(Promise.resolve(ok({ message: stored, epoch: EPOCH })));
    socket.reconnected$.next();
    await flush();
    await flush();
    expect(socket.sends.map((s) => s.clientMsgId)).toEqual([clientMsgId, clientMsgId]);
    expect(store.lines()).toMatchObject([{ id: 3, text: 'during the restart', status: 'sent' }]);
    expect(store.lines()).toHaveLength(1);
  });

  it('waits for the next reconnect when the rejoin is turned away too, and marks the send failed if a rejoin fails', async () => {
    await joinAsAnn();
    socket.sendAnswers.push(Promise.resolve(fail<SendMessageResult>('SHUTTING_DOWN')));
    store.send('patience');
    await flush();

    socket.joinAnswers.push(Promise.resolve(fail<JoinResult>('SHUTTING_DOWN')));
    socket.reconnected$.next();
    await flush();
    expect(socket.sends).toHaveLength(1);
    expect(store.lines()).toMatchObject([{ status: 'sending' }]);

    socket.joinAnswers.push(Promise.resolve({ ok: false, error: { code: 'TIMEOUT', message: '' } }));
    socket.reconnected$.next();
    await flush();
    expect(socket.sends).toHaveLength(1);
    expect(store.lines()).toMatchObject([{ status: 'failed', error: 'The server did not answer in time. Try again.' }]);
  });

  it('refuses to send blank text or text over the limit', async () => {
    await joinAsAnn(joinResult({ limits: { maxMessageLength: 5, historyLimit: 200, idleTimeoutSec: 600 } }));
    expect(store.send('  \n ')).toBe(false);
    expect(store.send('abcdef')).toBe(false);
    expect(store.send('😀😀😀😀😀')).toBe(true);
    expect(socket.sends.map((s) => s.text)).toEqual(['😀😀😀😀😀']);
  });

  it('moves the idle deadline to sentAt + idleTimeoutSec on every message and counts down from the clock', async () => {
    await joinAsAnn();
    expect(store.idleLeftMs()).toBe(600_000);
    socket.messages$.next(message(120, 'bob', { sentAt: new Date(T0 + 120_000).toISOString() }));
    expect(store.idleExpiresAt()).toBe(T0 + 720_000);
    now = T0 + 1000;
    vi.advanceTimersByTime(1000);
    expect(store.idleLeftMs()).toBe(719_000);
    expect(store.ttlLeftMs()).toBe(3_599_000);
  });

  it('updates members live from room:presence, online first', async () => {
    await joinAsAnn();
    socket.presence$.next({
      roomId: ROOM,
      members: [
        { nick: 'zed', online: true, memberId: 'id-zed' },
        { nick: 'ann', online: true, memberId: 'id-ann' },
        { nick: 'bob', online: false, memberId: 'id-bob' },
      ],
    });
    expect(store.members().map((m) => `${m.nick}:${m.online}`)).toEqual(['ann:true', 'zed:true', 'bob:false']);
    expect(store.onlineCount()).toBe(2);
  });

  it('keeps the conversation on screen when the room closes', async () => {
    await joinAsAnn(joinResult({ messages: [message(1), message(2)] }));
    socket.closed$.next({ roomId: ROOM, reason: 'idle' });
    expect(store.phase()).toBe('closed');
    expect(store.lines().map((l) => l.id)).toEqual([1, 2]);
  });

  it('tells a room lost when the server restarted (server:restarting, memory store) from an ordinary end', async () => {
    await joinAsAnn(joinResult({ messages: [message(1)] }));
    await flush();
    socket.restartAnnounced.set(true);
    socket.joinAnswers.push(Promise.resolve(fail<JoinResult>('ROOM_NOT_FOUND')));
    socket.reconnected$.next();
    await flush();
    await flush();
    expect(store.phase()).toBe('closed');
    expect(store.closedReason()).toBe('restart');
    expect(store.lines().map((l) => l.id)).toEqual([1]);
  });

  it('tells a restart by a changed bootId, and an ordinary end by its passed deadline when the bootId is the same', async () => {
    await joinAsAnn();
    await flush();
    api.bootId = 'boot-2';
    socket.joinAnswers.push(Promise.resolve(fail<JoinResult>('ROOM_NOT_FOUND')));
    socket.reconnected$.next();
    await flush();
    await flush();
    expect(store.closedReason()).toBe('restart');

    TestBed.resetTestingModule();
    createStore();
    await joinAsAnn();
    await flush();
    now = T0 + 600_000;
    socket.joinAnswers.push(Promise.resolve(fail<JoinResult>('ROOM_NOT_FOUND')));
    socket.reconnected$.next();
    await flush();
    await flush();
    expect(store.closedReason()).toBe('idle');
  });

  it('warns from 60 s before the idle deadline and "Keep this room open" sends room:touch and moves it', async () => {
    await joinAsAnn();
    expect(store.idleWarning()).toBe(false);
    now = T0 + 545_000;
    vi.advanceTimersByTime(1000);
    expect(store.idleWarning()).toBe(true);
    socket.touchAnswers.push(Promise.resolve(ok({ idleExpiresAt: new Date(T0 + 1_145_000).toISOString() })));
    await store.keepOpen();
    expect(socket.touches).toEqual([{ roomId: ROOM, userToken: 'token-ann' }]);
    expect(store.idleWarning()).toBe(false);
    expect(store.idleLeftMs()).toBe(600_000);
  });

  it('holds messages written while disconnected as waiting and sends them in order after the rejoin', async () => {
    await joinAsAnn();
    socket.status.set('disconnected');
    expect(store.presenceKnown()).toBe(false);
    store.send('one');
    store.send('two');
    expect(store.lines()).toMatchObject([
      { text: 'one', status: 'waiting', retryInMs: null },
      { text: 'two', status: 'waiting', retryInMs: null },
    ]);
    expect(socket.sends).toHaveLength(0);
    socket.status.set('connected');
    socket.joinAnswers.push(Promise.resolve(ok(joinResult())));
    socket.listAnswers.push(Promise.resolve(ok({ messages: [], truncated: false, hasMore: false, epoch: EPOCH })));
    socket.sendAnswers.push(Promise.resolve(ok({ message: message(1, 'ann', { text: 'one' }), epoch: EPOCH })));
    socket.sendAnswers.push(Promise.resolve(ok({ message: message(2, 'ann', { text: 'two' }), epoch: EPOCH })));
    socket.reconnected$.next();
    for (let i = 0; i < 5; i++) await flush();
    expect(socket.sends.map((s) => s.text)).toEqual(['one', 'two']);
    expect(store.lines().map((l) => [l.id, l.status])).toEqual([
      [1, 'sent'],
      [2, 'sent'],
    ]);
  });

  it('shows the closed state with its reason on room:closed and forgets the token', async () => {
    await joinAsAnn();
    socket.closed$.next({ roomId: ROOM, reason: 'idle' });
    expect(store.phase()).toBe('closed');
    expect(store.closedReason()).toBe('idle');
    expect(TestBed.inject(MemberMemory).tokenFor(ROOM)).toBeNull();
  });

  it('on reconnect rejoins with the token and fetches what it missed after its highest id', async () => {
    await joinAsAnn(joinResult({ messages: [message(1), message(2)] }));
    socket.status.set('disconnected');
    expect(store.offline()).toBe(true);

    socket.status.set('connected');
    socket.joinAnswers.push(Promise.resolve(ok(joinResult({ messages: [message(4), message(5)] }))));
    socket.listAnswers.push(
      Promise.resolve(ok({ messages: [message(4), message(5)], truncated: true, hasMore: false, epoch: EPOCH })),
    );
    socket.reconnected$.next();
    await flush();
    await flush();

    expect(socket.joins.at(-1)).toEqual({ roomId: ROOM, userToken: 'token-ann' });
    expect(socket.lists).toEqual([{ roomId: ROOM, userToken: 'token-ann', afterId: 2 }]);
    expect(store.lines().map((l) => l.id)).toEqual([1, 2, 4, 5]);
    expect(store.notice()).toContain('dropped');
    expect(store.offline()).toBe(false);
  });

  it('drops its view and reloads from afterId 0 when a message:new carries another epoch (a store failover)', async () => {
    await joinAsAnn(joinResult({ messages: [message(1), message(2), message(3)] }));
    socket.listAnswers.push(
      Promise.resolve(
        ok({
          messages: [message(1, 'bob', { epoch: 'e-2' }), message(5, 'bob', { epoch: 'e-2', text: 'after' })],
          truncated: false,
          hasMore: false,
          epoch: 'e-2',
        }),
      ),
    );
    socket.messages$.next(message(5, 'bob', { epoch: 'e-2', text: 'after' }));
    await vi.waitFor(() => expect(store.lines().map((l) => l.id)).toEqual([1, 5]));
    expect(socket.lists.map((l) => l.afterId)).toEqual([0]);
    // The same epoch again: no further reload.
    socket.messages$.next(message(6, 'bob', { epoch: 'e-2' }));
    expect(store.lines().map((l) => l.id)).toEqual([1, 5, 6]);
    expect(socket.lists).toHaveLength(1);
  });

  it('pages the history with message:list after the join ack until hasMore is false', async () => {
    socket.listAnswers.push(
      Promise.resolve(ok({ messages: [message(3), message(4)], truncated: false, hasMore: true, epoch: EPOCH })),
    );
    socket.listAnswers.push(
      Promise.resolve(ok({ messages: [message(5)], truncated: false, hasMore: false, epoch: EPOCH })),
    );
    await joinAsAnn(joinResult({ messages: [message(1), message(2)], hasMore: true, epoch: EPOCH }));
    await vi.waitFor(() => expect(store.lines().map((l) => l.id)).toEqual([1, 2, 3, 4, 5]));
    expect(socket.lists.map((l) => l.afterId)).toEqual([2, 4]);
    expect(store.notice()).toBeNull();
  });

  it('holds no socket on the nick prompt or once the room has ended, and opens one again to join', async () => {
    api.room = { ok: true, data: emptyRoom() };
    await store.open(ROOM, null);
    expect(store.phase()).toBe('needs-nick');
    TestBed.tick();
    expect(socket.disconnects).toBe(1);

    socket.joinAnswers.push(Promise.resolve(ok(joinResult())));
    await store.joinWithNick('ann');
    TestBed.tick();
    expect(store.phase()).toBe('joined');
    expect(socket.disconnects).toBe(1);

    socket.closed$.next({ roomId: ROOM, reason: 'idle' });
    TestBed.tick();
    expect(socket.disconnects).toBe(2);
  });

  it('leaves when another tab of this browser says this member left the room', async () => {
    await joinAsAnn();
    new TabChannel().announceLeft({ roomId: ROOM, memberId: 'id-ann' });
    await vi.waitFor(() => expect(store.phase()).toBe('left'));
    expect(TestBed.inject(MemberMemory).tokenFor(ROOM)).toBeNull();
  });

  it('asks for a nick instead of offering Retry when a send finds the token invalid', async () => {
    await joinAsAnn();
    socket.sendAnswers.push(Promise.resolve(fail<SendMessageResult>('TOKEN_INVALID')));
    store.send('too late');
    await flush();
    expect(store.phase()).toBe('needs-nick');
  });

  it('leaves with room:leave and forgets the token', async () => {
    await joinAsAnn();
    await store.leave();
    expect(socket.leaves).toEqual([{ roomId: ROOM, userToken: 'token-ann' }]);
    expect(store.phase()).toBe('left');
    expect(TestBed.inject(MemberMemory).tokenFor(ROOM)).toBeNull();
  });

  it('counts unread messages of others while the tab is hidden and resets when it is visible again', async () => {
    let state: DocumentVisibilityState = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    await joinAsAnn();
    state = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    socket.messages$.next(message(1));
    socket.messages$.next(message(2, 'ann'));
    socket.messages$.next(message(3));
    expect(store.unread()).toBe(2);

    state = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    TestBed.tick();
    expect(store.unread()).toBe(0);
  });
});
