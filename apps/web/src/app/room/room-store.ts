/** The state of one open room page: joining, messages, own sends, members, the room's life and the connection. */
import { DestroyRef, Injectable, computed, effect, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { JoinRequest, JoinResult, Member, Message, RoomClosedReason, RoomLimits } from '@tiny-chat/shared-types';
import { DEFAULT_MAX_MESSAGE_LENGTH } from '@tiny-chat/shared-types';
import { ChatSocket } from '../core/chat-socket';
import type { ClientError } from '../core/client-error';
import { CLOCK } from '../core/clock';
import { DEFAULT_NOTIFY_LEVEL, DesktopNotifications, type NotifyLevel } from '../core/desktop-notifications';
import { errorSentence } from '../core/error-sentence';
import { MemberMemory } from '../core/member-memory';
import { PageVisibility } from '../core/page-visibility';
import { RoomsApi } from '../core/rooms-api';
import { importRoomKey } from '../core/room-crypto';
import { TabChannel } from '../core/tab-channel';
import { newClientMsgId, toChatLines, type OutgoingMessage } from './chat-lines';
import { mentionsMe } from './mentions';
import { highestId, mergeMessages } from './message-merge';
import { RoomCipher } from './room-cipher';
import { olderMessagesDropped, type TranscriptInput } from './transcript';
import { Typist, TYPING_SEND_EVERY_MS, typingLine, withoutAuthors, withTypist } from './typing';
import { PresenceLog, type PresenceEvent } from './presence-log';
import { earliest, idleDeadlineAfter, latest, timeLeft } from './room-deadlines';
import { checkComposer } from './ui/composer-rules';

export type RoomPhase =
  | 'loading'
  | 'needs-nick'
  | 'joining'
  | 'joined'
  | 'unreachable'
  | 'not-found'
  /** An end-to-end encrypted room opened without its key: nothing to read, nothing to write. */
  | 'no-key'
  | 'closed'
  | 'left';

/** Why a room the person was in went away: the server's reason, lost to a restart (memory store), or unknown. */
export type RoomEndReason = RoomClosedReason | 'restart' | null;

/** The idle warning shows from this long before the idle deadline; the maximum-age one from MAX_AGE_WARNING_MS. */
export const IDLE_WARNING_MS = 60_000;
export const MAX_AGE_WARNING_MS = 10 * 60_000;

const TICK_MS = 1000;
const REFRESH_MS = 60_000;

@Injectable()
export class RoomStore {
  private readonly socket = inject(ChatSocket);
  private readonly api = inject(RoomsApi);
  private readonly memory = inject(MemberMemory);
  private readonly visibility = inject(PageVisibility);
  private readonly clock = inject(CLOCK);
  private readonly tabs = inject(TabChannel);
  private readonly notifications = inject(DesktopNotifications);

  private readonly roomIdSignal = signal('');
  private readonly phaseSignal = signal<RoomPhase>('loading');
  private readonly nickSignal = signal('');
  private readonly memberIdSignal = signal('');
  /** What the person typed in the nick prompt last: kept after an error so they can fix it. */
  private readonly typedNickSignal = signal<string | null>(null);
  private readonly tokenSignal = signal<string | null>(null);
  private readonly membersSignal = signal<Member[]>([]);
  private readonly messagesSignal = signal<Message[]>([]);
  private readonly outgoingSignal = signal<OutgoingMessage[]>([]);
  private readonly limitsSignal = signal<RoomLimits | null>(null);
  private readonly expiresAtSignal = signal<number | null>(null);
  private readonly idleExpiresAtSignal = signal<number | null>(null);
  private readonly closedReasonSignal = signal<RoomEndReason>(null);
  /** The server's bootId seen when joining: a different one later means it restarted meanwhile. */
  private bootId: string | null = null;
  private readonly joinErrorSignal = signal<string | null>(null);
  private readonly noticeSignal = signal<string | null>(null);
  private readonly unreadSignal = signal(0);
  private readonly nowSignal = signal(this.clock());
  /** Joined / left / offline lines for the conversation, worked out here from room:presence (never stored). */
  private readonly presenceLog = new PresenceLog(() => this.memberIdSignal());
  private readonly presenceEventsSignal = signal<readonly PresenceEvent[]>([]);
  /** Other members typing now (from room:typing; never stored). */
  private readonly typistsSignal = signal<readonly Typist[]>([]);
  private readonly titleSignal = signal<string | null>(null);
  private readonly encryptedSignal = signal(false);
  /** An encrypted room's key and plaintexts, once the key is known; null in a plain room. */
  private readonly cipherSignal = signal<RoomCipher | null>(null);
  private readonly notifyLevelSignal = signal<NotifyLevel>(DEFAULT_NOTIFY_LEVEL);
  /** The first message that arrived while the tab was hidden: the "New" divider goes above it. */
  private readonly newSinceIdSignal = signal<number | null>(null);
  /** The tab was hidden and no message has arrived since: the next one moves the divider. */
  private awaySinceLastMessage = false;
  /** When this page last told the room we are typing. */
  private lastTypingSentAt = Number.NEGATIVE_INFINITY;

  readonly roomId = this.roomIdSignal.asReadonly();
  readonly phase = this.phaseSignal.asReadonly();
  readonly myNick = this.nickSignal.asReadonly();
  readonly myMemberId = this.memberIdSignal.asReadonly();
  readonly joinError = this.joinErrorSignal.asReadonly();
  readonly notice = this.noticeSignal.asReadonly();
  readonly unread = this.unreadSignal.asReadonly();
  /** The room's title (decrypted in an encrypted room), or null. */
  readonly title = this.titleSignal.asReadonly();
  /** The room is end-to-end encrypted. */
  readonly encrypted = this.encryptedSignal.asReadonly();
  /** An encrypted room's key as the link's fragment carries it (`#k=<this>`), or null. */
  readonly linkKey = computed(() => this.cipherSignal()?.key.encoded ?? null);
  /** The stored messages as people read them: decrypted in an encrypted room. */
  readonly messages = computed(() => {
    const cipher = this.cipherSignal();
    const stored = this.messagesSignal();
    return cipher ? stored.map((m) => ({ ...m, text: cipher.display(m.text) })) : stored;
  });
  /** "Ana is typing...", "Ana and Ben are typing...", "3 people are typing..." or ''. */
  readonly typingLine = computed(() => typingLine(this.typistsSignal(), this.nowSignal()));
  readonly closedReason = this.closedReasonSignal.asReadonly();
  /** This room's desktop notifications while the tab is hidden, and what the browser allows. */
  readonly notifyLevel = this.notifyLevelSignal.asReadonly();
  readonly notifyPermission = this.notifications.permission;
  /** The id of the first message that arrived while the tab was hidden, or null. */
  readonly newSinceId = this.newSinceIdSignal.asReadonly();
  /** The nick to offer in the prompt: the last one this browser used. */
  private readonly lastNick = this.memory.lastNick();
  /** The nick to offer in the prompt: what was typed before an error, else the last one this browser used. */
  readonly suggestedNick = computed(() => this.typedNickSignal() ?? this.lastNick);

  readonly members = computed(() =>
    [...this.membersSignal()].sort((a, b) => Number(b.online) - Number(a.online) || a.nick.localeCompare(b.nick)),
  );
  /** The current members' nicks: what a mention can name. */
  readonly memberNicks = computed(() => this.membersSignal().map((m) => m.nick));
  readonly onlineCount = computed(() => this.membersSignal().filter((m) => m.online).length);
  readonly maxMessageLength = computed(() => this.limitsSignal()?.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH);
  readonly idleTimeoutSec = computed(() => this.limitsSignal()?.idleTimeoutSec ?? null);
  readonly expiresAt = this.expiresAtSignal.asReadonly();
  readonly idleExpiresAt = this.idleExpiresAtSignal.asReadonly();
  readonly idleLeftMs = computed(() => timeLeft(this.idleExpiresAtSignal(), this.nowSignal()));
  readonly ttlLeftMs = computed(() => timeLeft(this.expiresAtSignal(), this.nowSignal()));
  /** The room closes at whichever comes first. */
  readonly closesInMs = computed(() => earliest(this.idleLeftMs(), this.ttlLeftMs()));
  readonly offline = computed(() => this.phaseSignal() === 'joined' && this.socket.status() !== 'connected');
  /** Who is online is known only while we are in the room and connected ourselves (not during an outage, not after). */
  readonly presenceKnown = computed(() => this.phaseSignal() === 'joined' && this.socket.status() === 'connected');
  /** The idle deadline is near (and comes before the maximum age): "Keep this room open" can push it back. */
  readonly idleWarning = computed(() => {
    const idle = this.idleLeftMs();
    const ttl = this.ttlLeftMs();
    return this.phaseSignal() === 'joined' && idle !== null && idle <= IDLE_WARNING_MS && (ttl === null || idle < ttl);
  });
  /** The maximum age is near: nothing can push it back. */
  readonly maxAgeWarning = computed(() => {
    const ttl = this.ttlLeftMs();
    return this.phaseSignal() === 'joined' && ttl !== null && ttl <= MAX_AGE_WARNING_MS;
  });

  readonly lines = computed(() =>
    toChatLines(
      this.messages(),
      this.outgoingSignal(),
      { memberId: this.memberIdSignal(), nick: this.nickSignal() },
      this.membersSignal(),
      this.nowSignal(),
      this.presenceEventsSignal(),
    ),
  );

  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** Own sends a shutting-down server turned away: still 'sending', sent again once rejoined after the reconnect. */
  private readonly resendAfterRejoin = new Set<string>();
  /** After RATE_LIMITED: sends wait until then, and go out by themselves, in order. */
  private holdUntil = 0;
  private holdTimer: ReturnType<typeof setTimeout> | null = null;
  private flushing = false;
  /** The room's epoch as last heard (see noteEpoch). */
  private epoch: string | null = null;
  /** A catch-up was told that messages had already left the room's history. */
  private historyDropped = false;

  constructor() {
    const destroyRef = inject(DestroyRef);
    this.socket.messages$.pipe(takeUntilDestroyed(destroyRef)).subscribe((m) => {
      if (m.roomId !== this.roomIdSignal() || !this.isInRoom()) return;
      // A message of another epoch: the view was dropped and reloads from the start (this message included).
      if (this.noteEpoch(m.epoch)) return;
      const fresh = this.acceptMessages([m]);
      // Only live messages notify: history loaded on joining or catching up was not "just said".
      if (fresh.length > 0 && m.memberId !== this.memberIdSignal()) void this.notify(fresh);
    });
    this.socket.presence$.pipe(takeUntilDestroyed(destroyRef)).subscribe((event) => {
      if (event.roomId !== this.roomIdSignal() || !this.isInRoom()) return;
      this.membersSignal.set(event.members);
      // Before the join ack there is no starting point yet: applyJoin sets it, from the ack's own member list.
      const joined = this.phaseSignal() === 'joined';
      if (joined && this.presenceLog.update(event.members, this.clock(), highestId(this.messagesSignal()))) {
        this.presenceEventsSignal.set(this.presenceLog.list());
      }
      // Someone joining counts as activity on the server; pick up the moved idle deadline.
      this.refreshSoon();
    });
    this.socket.typing$.pipe(takeUntilDestroyed(destroyRef)).subscribe((event) => {
      if (event.roomId !== this.roomIdSignal() || this.phaseSignal() !== 'joined') return;
      const now = this.clock();
      this.nowSignal.set(now);
      this.typistsSignal.update((typists) => withTypist(typists, event.nick, now));
    });
    this.socket.closed$.pipe(takeUntilDestroyed(destroyRef)).subscribe((event) => {
      if (event.roomId === this.roomIdSignal()) this.markClosed(event.reason);
    });
    this.socket.reconnected$.pipe(takeUntilDestroyed(destroyRef)).subscribe(() => void this.rejoin());
    // Leaving in one tab takes every tab of that room out.
    this.tabs.left$.pipe(takeUntilDestroyed(destroyRef)).subscribe((left) => {
      if (left.roomId === this.roomIdSignal() && left.memberId === this.memberIdSignal()) this.leftHere();
    });

    effect(() => {
      if (!this.visibility.hidden()) this.unreadSignal.set(0);
      else this.awaySinceLastMessage = true;
    });
    // A socket only while in a room (or on the way in): the server closes connections that join no room within
    // JOIN_TIMEOUT_SEC, so the nick prompt, a closed or left room and an error screen hold none. The next join opens one.
    effect(() => {
      const phase = this.phaseSignal();
      if (phase !== 'loading' && phase !== 'joining' && phase !== 'joined') this.socket.disconnect();
    });

    const tick = setInterval(() => this.onTick(), TICK_MS);
    const refresh = setInterval(() => {
      if (this.phaseSignal() === 'joined') void this.refreshRoom();
    }, REFRESH_MS);
    destroyRef.onDestroy(() => {
      clearInterval(tick);
      clearInterval(refresh);
      if (this.refreshTimer) clearTimeout(this.refreshTimer);
      if (this.holdTimer) clearTimeout(this.holdTimer);
      this.socket.disconnect();
    });
  }

  private onTick(): void {
    const now = this.clock();
    this.nowSignal.set(now);
    // Only while we are connected ourselves: otherwise "offline" may just be our own outage.
    if (this.phaseSignal() !== 'joined' || !this.presenceKnown()) return;
    if (this.presenceLog.tick(now, highestId(this.messagesSignal()))) {
      this.presenceEventsSignal.set(this.presenceLog.list());
    }
  }

  /** Keeps this room's notification choice; turning them on asks the browser's permission if it never was. */
  setNotifyLevel(level: NotifyLevel): void {
    this.notifyLevelSignal.set(level);
    void this.notifications.setLevel(this.roomIdSignal(), level);
  }

  /** The composer holds text: tell the room, at most every TYPING_SEND_EVERY_MS (nothing waits for the answer). */
  noteTyping(): void {
    const userToken = this.tokenSignal();
    const now = this.clock();
    if (this.phaseSignal() !== 'joined' || !userToken || now - this.lastTypingSentAt < TYPING_SEND_EVERY_MS) return;
    this.lastTypingSentAt = now;
    void this.socket.typing({ roomId: this.roomIdSignal(), userToken });
  }

  /**
   * Enters a room: as the remembered member, else with the nick the lobby passed, else by asking for one.
   * `entry.key`: an encrypted room's key from the link's fragment (else the one this browser remembers);
   * `entry.created`: this browser has just created the room, so a missing key means a plain room.
   */
  async open(
    roomId: string,
    nickFromLobby: string | null,
    entry: { key?: string | null; created?: boolean } = {},
  ): Promise<void> {
    this.roomIdSignal.set(roomId);
    this.phaseSignal.set('loading');
    this.notifyLevelSignal.set(this.notifications.levelFor(roomId));
    await this.loadKey(roomId, entry.key ?? null);
    const userToken = this.memory.tokenFor(roomId);
    if (userToken) {
      const ok = await this.join({ roomId, userToken });
      // Only a rejected token leads on to a nick; anything else (joined, gone, unreachable) is final here.
      if (ok || this.phaseSignal() !== 'loading') return;
    }
    // Without a key, ask first whether the room needs one: joining would take a nick in a room we cannot read.
    if (nickFromLobby?.trim() && (this.cipherSignal() || entry.created)) {
      await this.joinWithNick(nickFromLobby);
      return;
    }
    const room = await this.api.getRoom(roomId);
    if (!room.ok) {
      if (room.error.code === 'ROOM_NOT_FOUND') this.phaseSignal.set('not-found');
      else {
        this.joinErrorSignal.set(errorSentence(room.error));
        this.phaseSignal.set('unreachable');
      }
      return;
    }
    this.encryptedSignal.set(room.data.encrypted);
    if (room.data.encrypted && !this.cipherSignal()) {
      this.phaseSignal.set('no-key');
      return;
    }
    if (nickFromLobby?.trim()) {
      await this.joinWithNick(nickFromLobby);
      return;
    }
    this.membersSignal.set(room.data.members);
    this.expiresAtSignal.set(Date.parse(room.data.expiresAt));
    this.idleExpiresAtSignal.set(Date.parse(room.data.idleExpiresAt));
    if (this.phaseSignal() === 'loading') this.phaseSignal.set('needs-nick');
  }

  /** The key from the link (remembered for later visits), else the remembered one; a malformed key counts as none. */
  private async loadKey(roomId: string, keyFromLink: string | null): Promise<void> {
    const encoded = keyFromLink ?? this.memory.roomKeyFor(roomId);
    const key = encoded ? await importRoomKey(encoded) : null;
    if (key && keyFromLink) this.memory.rememberRoomKey(roomId, key.encoded);
    this.cipherSignal.set(key ? new RoomCipher(roomId, key) : null);
  }

  async joinWithNick(nick: string): Promise<boolean> {
    const trimmed = nick.trim();
    if (!trimmed) {
      this.askForNick({ code: 'NICK_INVALID', message: '' });
      return false;
    }
    this.typedNickSignal.set(nick);
    return this.join({ roomId: this.roomIdSignal(), nick: trimmed });
  }

  /** Sends a message; false (and nothing sent) when the text is blank or over the limit. */
  send(text: string): boolean {
    if (this.phaseSignal() !== 'joined' || !checkComposer(text, this.maxMessageLength()).canSend) return false;
    const clientMsgId = newClientMsgId();
    // Behind a rate limit, a lost connection or earlier waiting messages: wait in line, in order.
    const waiting =
      this.holdUntil > this.clock() ||
      this.socket.status() !== 'connected' ||
      this.outgoingSignal().some((o) => o.status === 'waiting');
    if (waiting) {
      const retryAt = this.holdUntil > this.clock() ? this.holdUntil : null;
      this.outgoingSignal.update((list) => [...list, { clientMsgId, text, status: 'waiting', error: null, retryAt }]);
      this.flushSoon();
      return true;
    }
    this.outgoingSignal.update((list) => [...list, { clientMsgId, text, status: 'sending', error: null }]);
    void this.deliver(clientMsgId);
    return true;
  }

  /** Sends a failed message again with the same clientMsgId, so the server stores it at most once. */
  retry(clientMsgId: string): void {
    void this.deliver(clientMsgId);
  }

  /** "Keep this room open": room:touch counts as activity and moves the idle deadline. */
  async keepOpen(): Promise<void> {
    const userToken = this.tokenSignal();
    if (this.phaseSignal() !== 'joined' || !userToken) return;
    const ack = await this.socket.touch({ roomId: this.roomIdSignal(), userToken });
    if (ack.ok) {
      const idle = Date.parse(ack.data.idleExpiresAt);
      this.idleExpiresAtSignal.update((current) => latest(current, idle));
    } else {
      this.noticeSignal.set(errorSentence(ack.error));
    }
  }

  async leave(): Promise<void> {
    const roomId = this.roomIdSignal();
    const userToken = this.tokenSignal();
    if (userToken) await this.socket.leave({ roomId, userToken });
    this.tabs.announceLeft({ roomId, memberId: this.memberIdSignal() });
    this.leftHere();
  }

  private leftHere(): void {
    this.memory.forgetToken(this.roomIdSignal());
    this.memory.forgetRoomKey(this.roomIdSignal());
    this.tokenSignal.set(null);
    this.phaseSignal.set('left');
  }

  dismissNotice(): void {
    this.noticeSignal.set(null);
  }

  private isInRoom(): boolean {
    const phase = this.phaseSignal();
    return phase === 'joining' || phase === 'joined';
  }

  private async join(request: JoinRequest): Promise<boolean> {
    this.phaseSignal.set('joining');
    this.joinErrorSignal.set(null);
    const ack = await this.socket.join(request);
    if (this.phaseSignal() !== 'joining') return false; // closed or left meanwhile
    if (!ack.ok) {
      this.handleJoinFailure(ack.error, 'userToken' in request);
      return false;
    }
    if (ack.data.encrypted && !this.cipherSignal()) {
      // A remembered member whose key is gone: nothing here can read or write this room.
      this.encryptedSignal.set(true);
      this.phaseSignal.set('no-key');
      return false;
    }
    this.applyJoin(ack.data);
    this.phaseSignal.set('joined');
    void this.rememberBootId();
    // A long history comes in bounded pages: the join ack holds the oldest, message:list the rest.
    if (ack.data.hasMore) void this.catchUp(highestId(this.messagesSignal()));
    return true;
  }

  private handleJoinFailure(error: ClientError, byToken: boolean): void {
    if (error.code === 'ROOM_NOT_FOUND') {
      this.memory.forgetToken(this.roomIdSignal());
      this.memory.forgetRoomKey(this.roomIdSignal());
      this.phaseSignal.set('not-found');
      return;
    }
    if (byToken && error.code === 'TOKEN_INVALID') {
      this.memory.forgetToken(this.roomIdSignal());
      this.tokenSignal.set(null);
      this.phaseSignal.set('loading');
      return;
    }
    if (byToken) {
      // Keep the token: asking for a nick now would make a second member of the same person.
      this.joinErrorSignal.set(errorSentence(error));
      this.phaseSignal.set('unreachable');
      return;
    }
    this.askForNick(error);
  }

  private askForNick(error: ClientError): void {
    this.joinErrorSignal.set(errorSentence(error));
    this.phaseSignal.set('needs-nick');
  }

  private applyJoin(result: JoinResult): void {
    const roomId = this.roomIdSignal();
    this.memory.rememberToken(roomId, result.userToken);
    this.memory.rememberNick(result.nick);
    this.tokenSignal.set(result.userToken);
    this.nickSignal.set(result.nick);
    this.memberIdSignal.set(result.memberId);
    this.typedNickSignal.set(null);
    this.membersSignal.set(result.members);
    this.presenceLog.reset(result.members);
    this.limitsSignal.set(result.limits);
    this.encryptedSignal.set(result.encrypted);
    this.showTitle(result.title);
    this.expiresAtSignal.set(Date.parse(result.expiresAt));
    this.idleExpiresAtSignal.set(Date.parse(result.idleExpiresAt));
    // Another epoch: the ack's history is the new start.
    this.takeEpoch(result.epoch);
    this.acceptMessages(result.messages);
  }

  private showTitle(title: string | null): void {
    const cipher = this.cipherSignal();
    if (!this.encryptedSignal() || !cipher || title === null) {
      this.titleSignal.set(this.encryptedSignal() ? null : title);
      return;
    }
    void cipher.openTitle(title).then((plain) => this.titleSignal.set(plain));
  }

  /**
   * The room's epoch changes when a store failover lost its newest messages: what this page holds may then differ
   * from the room. Another epoch than the known one drops the view and reloads it from message:list afterId 0;
   * answers whether it did.
   */
  private noteEpoch(epoch: string): boolean {
    if (!this.takeEpoch(epoch)) return false;
    void this.catchUp(0);
    return true;
  }

  /** Records the room's epoch; another one than the known drops the view (it may name ids the room gave again). */
  private takeEpoch(epoch: string): boolean {
    const changed = this.epoch !== null && this.epoch !== epoch;
    this.epoch = epoch;
    if (changed) this.messagesSignal.set([]);
    return changed;
  }

  /** Merges messages into the view; answers those it did not hold yet. */
  private acceptMessages(incoming: readonly Message[]): readonly Message[] {
    if (incoming.length === 0) return [];
    const before = this.messagesSignal();
    const merged = mergeMessages(before, incoming);
    if (merged === before) return [];
    const known = new Set(before.map((m) => m.id));
    const fresh = incoming.filter((m) => !known.has(m.id));
    this.messagesSignal.set(merged);
    this.cipherSignal()?.reveal(fresh.map((m) => m.text));
    this.typistsSignal.update((typists) =>
      withoutAuthors(
        typists,
        fresh.map((m) => m.nick),
      ),
    );
    const me = this.memberIdSignal();
    const delivered = new Set(fresh.filter((m) => m.memberId === me && m.clientMsgId).map((m) => m.clientMsgId));
    if (delivered.size > 0) this.outgoingSignal.update((list) => list.filter((o) => !delivered.has(o.clientMsgId)));
    this.extendIdleDeadline(fresh);
    if (this.visibility.hidden() && this.phaseSignal() === 'joined') {
      const others = fresh.filter((m) => m.memberId !== me);
      this.unreadSignal.update((n) => n + others.length);
      const first = others[0];
      if (first && this.awaySinceLastMessage) {
        this.awaySinceLastMessage = false;
        this.newSinceIdSignal.set(first.id);
      }
    }
    return fresh;
  }

  /** A desktop notification per message that asks for one (this room's level), while the tab is hidden. */
  private async notify(messages: readonly Message[]): Promise<void> {
    const level = this.notifyLevelSignal();
    if (level === 'off' || !this.visibility.hidden()) return;
    const cipher = this.cipherSignal();
    await cipher?.settled(messages.map((m) => m.text));
    const nicks = this.membersSignal().map((m) => m.nick);
    const where = this.titleSignal() ?? 'tiny-chat';
    for (const message of messages) {
      const text = cipher ? cipher.display(message.text) : message.text;
      const mention = mentionsMe(text, nicks, this.nickSignal());
      if (level === 'mentions' && !mention) continue;
      const title = mention ? `${message.nick} mentioned you in ${where}` : `${message.nick} in ${where}`;
      this.notifications.show(title, text, `tiny-chat:${message.roomId}`);
    }
  }

  private extendIdleDeadline(messages: readonly Message[]): void {
    const idleSec = this.limitsSignal()?.idleTimeoutSec;
    if (idleSec) this.idleExpiresAtSignal.update((current) => idleDeadlineAfter(current, messages, idleSec));
  }

  /** Sends one own message; answers whether it may be followed by the next (false when it had to wait). */
  private async deliver(clientMsgId: string): Promise<boolean> {
    const item = this.outgoingSignal().find((o) => o.clientMsgId === clientMsgId);
    const userToken = this.tokenSignal();
    if (!item || !userToken) return false;
    this.setOutgoing(clientMsgId, 'sending', null);
    // In an encrypted room a fresh envelope per attempt: the clientMsgId still lets the server store it once.
    const cipher = this.cipherSignal();
    const text = cipher ? await cipher.seal(item.text) : item.text;
    const ack = await this.socket.send({ roomId: this.roomIdSignal(), userToken, text, clientMsgId });
    if (ack.ok) {
      if (!this.noteEpoch(ack.data.epoch)) this.acceptMessages([ack.data.message]);
      // Dedupe by clientMsgId may answer with the earlier stored copy: drop the pending line either way.
      this.outgoingSignal.update((list) => list.filter((o) => o.clientMsgId !== clientMsgId));
    } else if (ack.error.code === 'SHUTTING_DOWN') {
      // Not a failure of this message: the server is restarting and will let go of us, so it waits for the rejoin.
      this.resendAfterRejoin.add(clientMsgId);
    } else if (ack.error.code === 'RATE_LIMITED') {
      // Not a failure either: it goes out by itself, with the same clientMsgId, once the server allows.
      this.holdUntil = Math.max(this.holdUntil, this.clock() + (ack.error.retryAfterMs ?? 1000));
      this.setOutgoing(clientMsgId, 'waiting', null, this.holdUntil);
      this.flushSoon();
      return false;
    } else if (ack.error.code === 'TOKEN_INVALID') {
      // This member is gone (it left in a tab this one did not hear from): a Retry could never work; ask for a nick.
      this.memory.forgetToken(this.roomIdSignal());
      this.tokenSignal.set(null);
      this.askForNick(ack.error);
      return false;
    } else if (ack.error.code === 'DISCONNECTED') {
      this.setOutgoing(clientMsgId, 'waiting', null, null);
      return false;
    } else {
      this.setOutgoing(clientMsgId, 'failed', errorSentence(ack.error));
    }
    return true;
  }

  /** Sends the waiting messages once the hold is over, one after the other in their order. */
  private flushSoon(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(
      () => {
        this.holdTimer = null;
        void this.flushWaiting();
      },
      Math.max(0, this.holdUntil - this.clock()),
    );
  }

  private async flushWaiting(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.phaseSignal() === 'joined' && this.socket.status() === 'connected') {
        if (this.holdUntil > this.clock()) {
          this.flushSoon();
          return;
        }
        const next = this.outgoingSignal().find((o) => o.status === 'waiting');
        if (!next || !(await this.deliver(next.clientMsgId))) return;
      }
    } finally {
      this.flushing = false;
    }
  }

  /** The sends a shutting-down server turned away: again, same clientMsgId; or failed when we could not rejoin. */
  private settleTurnedAway(rejoinError: ClientError | null): void {
    const turnedAway = [...this.resendAfterRejoin];
    this.resendAfterRejoin.clear();
    for (const clientMsgId of turnedAway) {
      if (rejoinError) this.setOutgoing(clientMsgId, 'failed', errorSentence(rejoinError));
      else void this.deliver(clientMsgId);
    }
  }

  private setOutgoing(
    clientMsgId: string,
    status: OutgoingMessage['status'],
    error: string | null,
    retryAt: number | null = null,
  ): void {
    this.outgoingSignal.update((list) =>
      list.map((o) => (o.clientMsgId === clientMsgId ? { ...o, status, error, retryAt } : o)),
    );
    // Every message after one that waits waits too: they go out in the order they were written.
    if (status === 'waiting') {
      let after = false;
      this.outgoingSignal.update((list) =>
        list.map((o) => {
          if (o.clientMsgId === clientMsgId) after = true;
          else if (after && o.status === 'sending') return { ...o, status: 'waiting', retryAt };
          return o;
        }),
      );
    }
  }

  /** After a reconnect the server no longer has us in the room: rejoin, then fetch everything after our newest id. */
  private async rejoin(): Promise<void> {
    const userToken = this.tokenSignal();
    const roomId = this.roomIdSignal();
    if (this.phaseSignal() !== 'joined' || !userToken) return;
    const afterId = highestId(this.messagesSignal());
    const joined = await this.socket.join({ roomId, userToken });
    if (!joined.ok) {
      if (joined.error.code === 'ROOM_NOT_FOUND') this.markClosed(await this.whyGone());
      else if (joined.error.code === 'TOKEN_INVALID') {
        this.memory.forgetToken(roomId);
        this.tokenSignal.set(null);
        this.askForNick(joined.error);
      }
      // Turned away again, the next reconnect rejoins and sends them.
      if (joined.error.code !== 'SHUTTING_DOWN') this.settleTurnedAway(joined.error);
      return;
    }
    const epoch = this.epoch;
    this.applyJoin(joined.data);
    this.settleTurnedAway(null);
    void this.flushWaiting();
    // Another epoch: the view restarted from the ack's history, so catch up from there.
    const from = epoch === this.epoch ? afterId : highestId(this.messagesSignal());
    if ((await this.catchUp(from)) && from === afterId) {
      this.historyDropped = true;
      this.noticeSignal.set(
        'Some messages sent while you were away were dropped: the room keeps only the newest ones.',
      );
    }
  }

  /**
   * Fetches every message after `afterId` page by page until the server says none follow (each reply holds a bounded
   * share, oldest first), waiting as told when rate-limited. Answers whether the first page said messages after
   * `afterId` had already left the history. Stops when the room is left or closed meanwhile, or on another error.
   */
  private async catchUp(afterId: number): Promise<boolean> {
    const roomId = this.roomIdSignal();
    let truncated: boolean | null = null;
    for (let after = afterId; ; ) {
      const userToken = this.tokenSignal();
      if (!userToken || this.phaseSignal() !== 'joined' || this.roomIdSignal() !== roomId) break;
      const page = await this.socket.list({ roomId, userToken, afterId: after });
      if (!page.ok) {
        if (page.error.code !== 'RATE_LIMITED') break;
        await new Promise((resolve) => setTimeout(resolve, page.error.retryAfterMs ?? 1000));
        continue;
      }
      // Another epoch: noteEpoch dropped the view and started over from afterId 0.
      if (this.noteEpoch(page.data.epoch)) break;
      truncated ??= page.data.truncated;
      this.acceptMessages(page.data.messages);
      const last = page.data.messages.at(-1);
      if (!page.data.hasMore || !last) break;
      after = last.id;
    }
    return truncated ?? false;
  }

  /**
   * What a transcript holds: in an open room, everything it still keeps (caught up with message:list first); in a
   * closed one, what this page holds. Encrypted texts are decrypted here, in the browser.
   */
  async transcript(): Promise<TranscriptInput> {
    if (this.phaseSignal() === 'joined' && (await this.catchUp(highestId(this.messagesSignal())))) {
      this.historyDropped = true;
    }
    await this.cipherSignal()?.settled(this.messagesSignal().map((m) => m.text));
    const messages = this.messages();
    return {
      room: { roomId: this.roomIdSignal(), title: this.titleSignal(), encrypted: this.encryptedSignal() },
      messages,
      exportedAt: this.clock(),
      olderDropped: olderMessagesDropped(messages, this.historyDropped),
    };
  }

  private async rememberBootId(): Promise<void> {
    const health = await this.api.health();
    if (health.ok) this.bootId = health.data.bootId;
  }

  /**
   * A room that answers ROOM_NOT_FOUND on rejoin: with the memory store, lost to a restart when the server announced
   * one or its bootId changed; otherwise its ordinary end, told by which deadline passed.
   */
  private async whyGone(): Promise<RoomEndReason> {
    const health = await this.api.health();
    if (health.ok && health.data.store.type === 'memory') {
      const restarted = this.bootId !== null && health.data.bootId !== this.bootId;
      if (restarted || this.socket.restartAnnounced()) return 'restart';
    }
    const now = this.clock();
    const expiresAt = this.expiresAtSignal();
    const idleExpiresAt = this.idleExpiresAtSignal();
    if (expiresAt !== null && now >= expiresAt) return 'ttl';
    if (idleExpiresAt !== null && now >= idleExpiresAt) return 'idle';
    return null;
  }

  private markClosed(reason: RoomEndReason): void {
    this.memory.forgetToken(this.roomIdSignal());
    // The page keeps its key: the conversation stays readable (and downloadable) until it is left.
    this.memory.forgetRoomKey(this.roomIdSignal());
    this.tokenSignal.set(null);
    this.closedReasonSignal.set(reason);
    this.phaseSignal.set('closed');
  }

  private refreshSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refreshRoom();
    }, 500);
  }

  private async refreshRoom(): Promise<void> {
    const room = await this.api.getRoom(this.roomIdSignal());
    if (!room.ok) return;
    const idle = Date.parse(room.data.idleExpiresAt);
    this.idleExpiresAtSignal.update((current) => latest(current, idle));
    this.expiresAtSignal.set(Date.parse(room.data.expiresAt));
  }
}
