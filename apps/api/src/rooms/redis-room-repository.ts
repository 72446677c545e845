/** RoomRepository on Redis: several API instances share rooms; each mutation is one Lua script. */
import { Logger, OnModuleDestroy } from '@nestjs/common';
import type { Member, Message } from '@tiny-chat/shared-types';
import Redis, { Cluster } from 'ioredis';
import calculateSlot from 'cluster-key-slot';
import { createHash, randomUUID } from 'node:crypto';
import {
  DomainError,
  NickTakenError,
  NotRoomOwnerError,
  RateLimitedError,
  RoomFullError,
  RoomLimitReachedError,
  RoomNotFoundError,
  StoreUnavailableError,
  TextKindError,
  TokenInvalidError,
} from '../common/domain-errors';
import { corkRedisWrites } from '../transport/fast-paths/corked-redis-writes';
import { DEFAULT_FAST_PATHS, FastPaths } from '../transport/fast-paths/fast-paths';
import { PreparedScript, preparedEvalsha } from '../transport/fast-paths/prepared-evalsha';
import { connectRedis, dataNodes, redisClientOptions, RedisClient } from './redis-clients';
import { ShardSubscriber } from './shard-subscriber';
import * as scripts from './redis-scripts';
import { newEpoch } from './room-id';
import {
  AddMemberOptions,
  AppendResult,
  ClosedRoom,
  Closer,
  LiveCounts,
  MemberRecord,
  MessageDraft,
  MessagePage,
  NewMember,
  OwnedRoomRecord,
  RoomRecord,
  RoomRepository,
  RoomSignal,
  isExpired,
  STORED_JSON,
  StoredMessage,
  TouchOptions,
} from './room-repository';

type Reply = [string, ...Array<string | number>];
type RoomScript = (...args: Array<string | number>) => Promise<Reply>;
type ScriptName =
  | 'tcReserveRoom'
  | 'tcReserveOwner'
  | 'tcCreateRoom'
  | 'tcGetRoom'
  | 'tcAddMember'
  | 'tcAuthenticate'
  | 'tcTouchRoom'
  | 'tcTouchByMember'
  | 'tcRemoveMember'
  | 'tcListMembers'
  | 'tcAddConnection'
  | 'tcRemoveConnection'
  | 'tcAppendMessage'
  | 'tcListMessages'
  | 'tcCloseIfExpired'
  | 'tcCloseRoom';
type ScriptedRedis = RedisClient & Record<ScriptName, RoomScript>;

const ROOM_KEY_COUNT = 6;
/** Each script and its key count. */
const SCRIPTS: Record<ScriptName, [string, number]> = {
  tcReserveRoom: [scripts.RESERVE_ROOM, 1],
  tcReserveOwner: [scripts.RESERVE_OWNER, 1],
  tcCreateRoom: [scripts.CREATE_ROOM, ROOM_KEY_COUNT],
  tcGetRoom: [scripts.GET_ROOM, ROOM_KEY_COUNT],
  tcAddMember: [scripts.ADD_MEMBER, ROOM_KEY_COUNT],
  tcAuthenticate: [scripts.AUTHENTICATE, ROOM_KEY_COUNT],
  tcTouchRoom: [scripts.TOUCH_ROOM, ROOM_KEY_COUNT],
  tcTouchByMember: [scripts.TOUCH_BY_MEMBER, ROOM_KEY_COUNT],
  tcRemoveMember: [scripts.REMOVE_MEMBER, ROOM_KEY_COUNT],
  tcListMembers: [scripts.LIST_MEMBERS, ROOM_KEY_COUNT],
  tcAddConnection: [scripts.ADD_CONNECTION, ROOM_KEY_COUNT],
  tcRemoveConnection: [scripts.REMOVE_CONNECTION, ROOM_KEY_COUNT],
  tcAppendMessage: [scripts.APPEND_MESSAGE, ROOM_KEY_COUNT],
  tcListMessages: [scripts.LIST_MESSAGES, ROOM_KEY_COUNT],
  tcCloseIfExpired: [scripts.CLOSE_IF_EXPIRED, ROOM_KEY_COUNT],
  tcCloseRoom: [scripts.CLOSE_ROOM, ROOM_KEY_COUNT],
};

/** How long an instance keeps hearing a room after its last local socket left (a quick rejoin costs nothing). */
export const ROOM_LINGER_MS = 30_000;

/** Signals travel a room's channel as SIGNAL_MARK + JSON; messages as their bare JSON (which starts with '{'). */
const SIGNAL_MARK = '!';

export interface RedisRoomRepositoryOptions {
  /** REDIS_URL, used when `clusterNodes` is empty. */
  url: string;
  /** REDIS_CLUSTER_NODES: a Redis Cluster's seed nodes. */
  clusterNodes?: ReadonlyArray<{ host: string; port: number }>;
  keyPrefix: string;
  /** Room keys outlive their deadline by this much, so cleanup can still tell members why the room closed. */
  graceMs: number;
  /** Instances silent for this long are dead; their connections are dropped. */
  instanceTimeoutMs: number;
  /** Fail a command after this long rather than hang. */
  commandTimeoutMs?: number;
  /** Told of every store command (script name or Redis command), its latency and whether it failed: for metrics. */
  observe?: (command: string, seconds: number, failed: boolean) => void;
  /** Which dependency tricks may run (FAST_PATHS); all of them when not given. */
  fastPaths?: FastPaths;
  /** How long a released room is still heard (ROOM_LINGER_MS unless a test shortens it). */
  lingerMs?: number;
  /** REDIS_WAIT_REPLICAS: a send is acknowledged once this many replicas have it (0: at once). */
  waitReplicas?: number;
  /** REDIS_WAIT_TIMEOUT_MS: how long WAIT may take before the send answers STORE_UNAVAILABLE. */
  waitTimeoutMs?: number;
}

export class RedisRoomRepository extends RoomRepository implements OnModuleDestroy {
  private readonly logger = new Logger(RedisRoomRepository.name);
  private readonly redis: ScriptedRedis;
  private readonly subscriber: ShardSubscriber;
  private readonly listeners: Array<(message: StoredMessage) => void> = [];
  /**
   * The highest message id this instance has seen in each room it listens to, and in which epoch: the append script
   * compares it with the room to notice a rollback by a failover (see APPEND_MESSAGE).
   */
  private readonly seen = new Map<string, { epoch: string; id: number }>();
  private readonly signalListeners: Array<(roomId: string, signal: RoomSignal) => void> = [];
  /** Rooms heard: null while a local socket is in the room, else the timer that ends the linger. */
  private readonly listened = new Map<string, NodeJS.Timeout | null>();
  /** SSUBSCRIBEs under way, so concurrent joins of one room wait for the same one. */
  private readonly subscribing = new Map<string, Promise<void>>();
  /** Payloads received on room channels (messages and signals), for the metrics. */
  private received = 0;
  private readonly instanceId = randomUUID();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly indexKey: string;
  private readonly instancesKey: string;
  /** The append script, sent without ioredis' per-call argument handling when that fast path may run. */
  private readonly append?: PreparedScript;

  constructor(private readonly options: RedisRoomRepositoryOptions) {
    super();
    const p = options.keyPrefix;
    this.indexKey = `${p}rooms`;
    this.instancesKey = `${p}instances`;
    const target = { url: options.url, clusterNodes: options.clusterNodes };
    this.redis = connectRedis(target, redisClientOptions(options.commandTimeoutMs)) as ScriptedRedis;
    for (const [name, [lua, numberOfKeys]] of Object.entries(SCRIPTS))
      this.redis.defineCommand(name, { lua, numberOfKeys });
    const fastPaths = options.fastPaths ?? DEFAULT_FAST_PATHS;
    corkRedisWrites(this.redis, fastPaths);
    // The prepared append writes on one connection: a standalone client only.
    if (!(this.redis instanceof Cluster) && fastPaths.allows(preparedEvalsha))
      this.append = new PreparedScript(scripts.APPEND_MESSAGE, ROOM_KEY_COUNT);
    this.redis.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    this.redis.on('ready', () => void this.beat());
    this.subscriber = new ShardSubscriber(target, this.redis, (_channel, payload) => this.dispatch(payload));
    this.heartbeat = setInterval(() => void this.beat(), Math.max(1000, options.instanceTimeoutMs / 3));
    this.heartbeat.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const timer of this.listened.values()) if (timer) clearTimeout(timer);
    this.listened.clear();
    this.subscriber.disconnect();
    this.redis.disconnect();
  }

  /** Waits until the command connection is ready (used at start and by tests); subscribers connect when needed. */
  async ready(timeoutMs = 5000): Promise<void> {
    const wait = (client: RedisClient) =>
      client.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => client.once('ready', () => resolve()));
    await Promise.race([
      wait(this.redis),
      new Promise((_, reject) => setTimeout(() => reject(new Error('redis not ready')), timeoutMs).unref()),
    ]);
  }

  /** Each data node's `INFO server` text: the standalone server's, or every master's (the version check reads them). */
  async serverInfo(): Promise<string[]> {
    return this.call('info', () => Promise.all(dataNodes(this.redis).map((node) => node.info('server'))));
  }

  async createRoom(room: RoomRecord, maxRooms: number, now: number, maxRoomsPerOwner?: number): Promise<void> {
    const deadline = Math.min(room.expiresAt, room.idleExpiresAt);
    const ownerId = maxRoomsPerOwner === undefined ? undefined : room.ownerId;
    // The owner's cap and the global cap live in different slots: the owner's place is taken first and given back
    // when the global cap refuses, so both stay exact (a concurrent creation of that owner may be refused meanwhile).
    if (ownerId !== undefined) {
      const owner = await this.call('tcReserveOwner', () =>
        this.redis.tcReserveOwner(
          this.ownerRoomsKey(ownerId),
          room.roomId,
          now,
          maxRoomsPerOwner ?? 0,
          deadline,
          room.expiresAt + this.options.graceMs,
        ),
      );
      if (owner[0] === 'ROOM_LIMIT_REACHED') throw new RoomLimitReachedError(Math.max(1, Number(owner[1])));
    }
    const reserved = await this.call('tcReserveRoom', () =>
      this.redis.tcReserveRoom(this.indexKey, room.roomId, now, maxRooms, deadline),
    );
    if (reserved[0] === 'ROOM_LIMIT_REACHED') {
      if (ownerId !== undefined)
        await this.call('zrem', () => this.redis.zrem(this.ownerRoomsKey(ownerId), room.roomId));
      throw new RoomLimitReachedError(Math.max(1, Number(reserved[1])));
    }
    await this.room(
      room.roomId,
      'tcCreateRoom',
      room.createdAt,
      room.expiresAt,
      room.idleExpiresAt,
      this.options.graceMs,
      room.ownerKeyHash ?? '',
      room.ownerId ?? '',
      newEpoch(),
      room.title ?? '',
      room.encrypted ? '1' : '0',
    );
  }

  async closeRoom(roomId: string, closer: Closer, now: number): Promise<void> {
    const reply = await this.answer('tcCloseRoom', () =>
      this.redis.tcCloseRoom(...this.roomKeys(roomId), now, closer.ownerKeyHash ?? '', closer.userId ?? ''),
    );
    if (reply[0] === 'NOT_ROOM_OWNER') throw new NotRoomOwnerError();
    // Out of the index and the creator's live rooms before the caller answers: both slots are free from then on.
    await this.unindex(roomId, String(reply[1] ?? ''));
  }

  async listRoomsOf(userId: string, now: number): Promise<OwnedRoomRecord[]> {
    const ids = await this.call('zrangebyscore', () =>
      this.redis.zrangebyscore(this.ownerRoomsKey(userId), `(${now}`, '+inf'),
    );
    // One command per key (each room is its own slot); they leave in one write all the same.
    const rooms = await this.call('hmget', () =>
      Promise.all(
        ids.map((roomId) => {
          const [roomKey, membersKey] = this.roomKeys(roomId) as [string, string];
          return Promise.all([
            this.redis.hmget(
              roomKey,
              'createdAt',
              'expiresAt',
              'idleExpiresAt',
              'lastMessageId',
              'ownerId',
              'title',
              'encrypted',
            ),
            this.redis.hlen(membersKey),
          ]);
        }),
      ),
    );
    const owned: OwnedRoomRecord[] = [];
    ids.forEach((roomId, i) => {
      const [fields, length] = rooms[i] ?? [[], 0];
      const [createdAt, expiresAt, idleExpiresAt, lastMessageId, ownerId, title, encrypted] = fields;
      if (createdAt === null || createdAt === undefined || ownerId !== userId) return;
      const record = this.toRecord(
        roomId,
        ['OK', createdAt, expiresAt ?? 0, idleExpiresAt ?? 0, lastMessageId ?? 0, title ?? '', encrypted ?? '0'],
        5,
      );
      if (isExpired(record, now)) return;
      // Each member is three fields of the members hash (record, nick, token).
      owned.push({ ...record, memberCount: Math.floor(Number(length) / 3) });
    });
    return owned.sort((a, b) => a.createdAt - b.createdAt);
  }

  async getRoom(roomId: string, now: number): Promise<RoomRecord | null> {
    try {
      return this.toRecord(roomId, await this.room(roomId, 'tcGetRoom', now), 5);
    } catch (error) {
      if (error instanceof RoomNotFoundError) return null;
      throw error;
    }
  }

  async addMember(
    roomId: string,
    member: NewMember,
    { idleExpiresAt, maxMembers, reclaimAfterMs = 0 }: AddMemberOptions,
    now: number,
  ): Promise<RoomRecord> {
    const reply = await this.room(
      roomId,
      'tcAddMember',
      now,
      member.memberId,
      member.nick,
      member.nickKey,
      member.tokenHash,
      idleExpiresAt,
      this.options.graceMs,
      maxMembers,
      member.publicId,
      reclaimAfterMs,
    );
    await this.reindex(roomId, reply[5], reply[6]);
    return this.toRecord(roomId, reply, 7);
  }

  async authenticate(roomId: string, tokenHash: string, now: number): Promise<MemberRecord> {
    const reply = await this.room(roomId, 'tcAuthenticate', now, tokenHash);
    return { memberId: String(reply[1]), nick: String(reply[2]), publicId: String(reply[3]) };
  }

  async touchRoom(roomId: string, idleExpiresAt: number, now: number): Promise<RoomRecord> {
    const reply = await this.room(roomId, 'tcTouchRoom', now, idleExpiresAt, this.options.graceMs);
    await this.reindex(roomId, reply[5], reply[6]);
    return this.toRecord(roomId, reply, 7);
  }

  async touchByMember(
    roomId: string,
    tokenHash: string,
    { idleExpiresAt, minIntervalMs }: TouchOptions,
    now: number,
  ): Promise<RoomRecord> {
    const reply = await this.room(
      roomId,
      'tcTouchByMember',
      now,
      tokenHash,
      idleExpiresAt,
      this.options.graceMs,
      minIntervalMs,
    );
    await this.reindex(roomId, reply[5], reply[6]);
    return this.toRecord(roomId, reply, 7);
  }

  async removeMember(roomId: string, memberId: string, now: number): Promise<void> {
    await this.room(roomId, 'tcRemoveMember', now, memberId);
  }

  async listMembers(roomId: string, now: number): Promise<Member[]> {
    const reply = await this.room(roomId, 'tcListMembers', now);
    const members: Member[] = [];
    for (let i = 1; i + 2 < reply.length; i += 3)
      members.push({ nick: String(reply[i]), online: Number(reply[i + 1]) === 1, memberId: String(reply[i + 2]) });
    return members;
  }

  async addConnection(roomId: string, memberId: string, connectionId: string, now: number): Promise<boolean> {
    const reply = await this.room(roomId, 'tcAddConnection', now, memberId, connectionId);
    // Registering the instance with its connection means that even an instance that dies before its
    // first heartbeat is found by the reaper. Two keys in two slots: two commands, connection first.
    await this.call('sadd', () =>
      this.redis.sadd(this.instanceConnsKey(this.instanceId), `${roomId}|${memberId}|${connectionId}`),
    );
    await this.call('zadd', () => this.redis.zadd(this.instancesKey, Date.now(), this.instanceId));
    return Number(reply[1]) === 1;
  }

  async removeConnection(roomId: string, memberId: string, connectionId: string, now: number): Promise<boolean> {
    const reply = await this.room(roomId, 'tcRemoveConnection', memberId, connectionId, now);
    await this.call('srem', () =>
      this.redis.srem(this.instanceConnsKey(this.instanceId), `${roomId}|${memberId}|${connectionId}`),
    );
    return Number(reply[1]) === 1;
  }

  async appendMessage(
    roomId: string,
    draft: MessageDraft,
    options: { historyLimit: number; idleExpiresAt: number },
    now: number,
  ): Promise<AppendResult> {
    const sentAt = new Date(draft.sentAt).toISOString();
    const keys = this.roomKeys(roomId);
    const args = [
      now,
      roomId,
      draft.tokenHash,
      draft.text,
      draft.clientMsgId ?? '',
      sentAt,
      options.historyLimit,
      options.idleExpiresAt,
      this.options.graceMs,
      this.roomChannel(roomId),
      ...this.knownOf(roomId),
      (draft.plain === false ? '' : 'p') + (draft.envelope === true ? 'e' : ''),
    ];
    const defined = () => this.redis.tcAppendMessage(...keys, ...args);
    const reply = await this.answer('tcAppendMessage', () =>
      // `append` is set on a standalone client only (see the constructor).
      this.append ? this.append.run<Reply>(this.redis as Redis, keys, args, defined) : defined(),
    );
    if (reply[0] === 'WRONG_KIND') throw new TextKindError(Number(reply[1]) === 1);
    if (reply[0] === 'DUPLICATE') {
      await this.replicated(keys[0] ?? '');
      return { message: JSON.parse(String(reply[1])) as Message, duplicate: true, epoch: String(reply[2]) };
    }
    // The script answers only what it decided (id, nick): the stored and published JSON is this same message.
    const message: Message = {
      id: Number(reply[1]),
      roomId,
      nick: String(reply[2]),
      memberId: String(reply[4]),
      text: draft.text,
      sentAt,
    };
    if (draft.clientMsgId) message.clientMsgId = draft.clientMsgId;
    const epoch = String(reply[6]);
    this.saw(roomId, epoch, message.id);
    await this.replicated(keys[0] ?? '');
    await this.reindex(roomId, reply[3], reply[5]);
    return { message, duplicate: false, epoch };
  }

  async listMessages(roomId: string, afterId: number, now: number): Promise<MessagePage> {
    const reply = await this.room(roomId, 'tcListMessages', now, afterId);
    const messages = reply.slice(3).map((json) => JSON.parse(String(json)) as Message);
    const epoch = String(reply[2]);
    this.saw(roomId, epoch, messages.at(-1)?.id ?? 0);
    return { truncated: Number(reply[1]) === 1, messages, epoch };
  }

  async takeExpiredRooms(now: number): Promise<ClosedRoom[]> {
    const due = await this.call('zrangebyscore', () =>
      this.redis.zrangebyscore(this.indexKey, '-inf', now, 'LIMIT', 0, 500),
    );
    const closed: ClosedRoom[] = [];
    for (const roomId of due) {
      const reply = await this.room(roomId, 'tcCloseIfExpired', now);
      if (reply[0] === 'ALIVE') {
        // The index lagged behind activity (it is refreshed at most once a second): put the true deadline back.
        await this.reindex(roomId, reply[1], reply[2]);
        continue;
      }
      await this.unindex(roomId, String(reply[2] ?? ''));
      // Only the instance whose script deleted the room reports it, so members hear it once.
      if (reply[0] === 'CLOSED') closed.push({ roomId, reason: reply[1] === 'ttl' ? 'ttl' : 'idle' });
    }
    return closed;
  }

  onMessageStored(listener: (message: StoredMessage) => void): void {
    this.listeners.push(listener);
  }

  async listen(roomId: string): Promise<void> {
    const state = this.listened.get(roomId);
    if (state !== undefined) {
      if (state) {
        clearTimeout(state);
        this.listened.set(roomId, null);
      }
      return this.subscribing.get(roomId);
    }
    this.listened.set(roomId, null);
    const channel = this.roomChannel(roomId);
    const subscribing = this.call('ssubscribe', () => withTimeout(this.subscriber.subscribe(channel), 2000))
      .then(() => undefined)
      .catch((error: unknown) => {
        // Not heard: forget the room (and the subscription, should it still come through).
        if (this.listened.get(roomId) === null) this.listened.delete(roomId);
        this.subscriber.unsubscribe(channel).catch(() => undefined);
        throw error;
      })
      .finally(() => this.subscribing.delete(roomId));
    this.subscribing.set(roomId, subscribing);
    return subscribing;
  }

  release(roomId: string, linger = true): void {
    if (this.listened.get(roomId) !== null) return;
    const forget = () => {
      this.listened.delete(roomId);
      this.seen.delete(roomId);
      this.subscriber
        .unsubscribe(this.roomChannel(roomId))
        .catch((error: unknown) => this.logger.warn(`sunsubscribe failed: ${String(error)}`));
    };
    if (!linger) return forget();
    const timer = setTimeout(() => {
      if (this.listened.get(roomId) === timer) forget();
    }, this.options.lingerMs ?? ROOM_LINGER_MS);
    timer.unref();
    this.listened.set(roomId, timer);
  }

  async signal(roomId: string, signal: RoomSignal): Promise<void> {
    const payload = SIGNAL_MARK + JSON.stringify({ roomId, from: this.instanceId, signal });
    await this.call('spublish', () => this.redis.spublish(this.roomChannel(roomId), payload));
  }

  onSignal(listener: (roomId: string, signal: RoomSignal) => void): void {
    this.signalListeners.push(listener);
  }

  listening(): { rooms: number; received: number } {
    return { rooms: this.listened.size, received: this.received };
  }

  async reapOrphanedConnections(): Promise<string[]> {
    const dead = await this.call('zrangebyscore', () =>
      this.redis.zrangebyscore(this.instancesKey, '-inf', Date.now() - this.options.instanceTimeoutMs),
    );
    const changed = new Set<string>();
    for (const instanceId of dead) {
      if (instanceId === this.instanceId) continue;
      const key = this.instanceConnsKey(instanceId);
      for (const entry of await this.call('smembers', () => this.redis.smembers(key))) {
        const [roomId, memberId, connectionId] = entry.split('|');
        if (!roomId || !memberId || !connectionId) continue;
        const reply = await this.room(roomId, 'tcRemoveConnection', memberId, connectionId, Date.now());
        if (Number(reply[1]) === 1) changed.add(roomId);
      }
      await this.call('del', () => this.redis.del(key));
      await this.call('zrem', () => this.redis.zrem(this.instancesKey, instanceId));
      this.logger.warn(`instance ${instanceId} stopped heartbeating: its connections went offline`);
    }
    return [...changed];
  }

  async isAvailable(): Promise<boolean> {
    try {
      return (await this.call('ping', () => this.redis.ping())) === 'PONG';
    } catch {
      return false;
    }
  }

  async countLive(now: number): Promise<LiveCounts> {
    const live = await this.call('zrangebyscore', () => this.redis.zrangebyscore(this.indexKey, `(${now}`, '+inf'));
    let members = 0;
    // 500 rooms at a time, one command each (each room is its own slot); each members hash holds three fields per member (record, nick, token).
    for (let i = 0; i < live.length; i += 500) {
      const batch = live.slice(i, i + 500);
      const lengths = await this.call('hlen', () =>
        Promise.all(batch.map((roomId) => this.redis.hlen(this.roomKeys(roomId)[1] ?? ''))),
      );
      for (const length of lengths) members += Math.floor(length / 3);
    }
    return { rooms: live.length, members };
  }

  private async beat(): Promise<void> {
    try {
      await this.redis.zadd(this.instancesKey, Date.now(), this.instanceId);
    } catch (error) {
      this.logger.warn(`heartbeat failed: ${String(error)}`);
    }
  }

  private dispatch(payload: string): void {
    this.received++;
    if (payload.startsWith(SIGNAL_MARK)) {
      let envelope: { roomId: string; from: string; signal: RoomSignal };
      try {
        envelope = JSON.parse(payload.slice(SIGNAL_MARK.length)) as typeof envelope;
      } catch {
        return;
      }
      // Its own signals were delivered locally when sent.
      if (envelope.from !== this.instanceId && this.listened.has(envelope.roomId))
        for (const listener of this.signalListeners) listener(envelope.roomId, envelope.signal);
      return;
    }
    let message: StoredMessage;
    try {
      message = JSON.parse(payload) as StoredMessage;
    } catch {
      return;
    }
    // The relay frames this same JSON for the room's members (see STORED_JSON).
    message[STORED_JSON] = payload;
    this.saw(message.roomId, message.epoch, message.id);
    for (const listener of this.listeners) listener(message);
  }

  /** The room's deadline moved: the global index and its creator's live rooms (when signed in) follow. */
  private async reindex(
    roomId: string,
    deadline: string | number | undefined,
    ownerId: string | number | undefined,
  ): Promise<void> {
    const value = Number(deadline ?? 0);
    if (value <= 0) return;
    await this.call('zadd', () => this.redis.zadd(this.indexKey, 'XX', 'GT', value, roomId));
    if (ownerId)
      await this.call('zadd', () => this.redis.zadd(this.ownerRoomsKey(String(ownerId)), 'XX', 'GT', value, roomId));
  }

  /** The room is gone: out of the global index and its creator's live rooms. */
  private async unindex(roomId: string, ownerId: string): Promise<void> {
    await this.call('zrem', () => this.redis.zrem(this.indexKey, roomId));
    if (ownerId) await this.call('zrem', () => this.redis.zrem(this.ownerRoomsKey(ownerId), roomId));
  }

  /** Notes an id seen in a room this instance listens to (a newer epoch replaces what was seen before). */
  private saw(roomId: string, epoch: string | undefined, id: number): void {
    if (epoch === undefined || !this.listened.has(roomId)) return;
    const known = this.seen.get(roomId);
    if (!known || known.epoch !== epoch) this.seen.set(roomId, { epoch, id });
    else if (id > known.id) known.id = id;
  }

  /** [epoch, highest id] seen in the room, or ['', 0] when nothing was. */
  private knownOf(roomId: string): [string, number] {
    const known = this.seen.get(roomId);
    return known ? [known.epoch, known.id] : ['', 0];
  }

  /**
   * With REDIS_WAIT_REPLICAS > 0: WAIT on the connection that ran the append (the master of the room's slot) until
   * that many replicas have it; fewer within REDIS_WAIT_TIMEOUT_MS -> STORE_UNAVAILABLE (a resend with the same
   * clientMsgId then answers the stored message).
   */
  private async replicated(roomKey: string): Promise<void> {
    const replicas = this.options.waitReplicas ?? 0;
    if (replicas <= 0) return;
    const node = this.redis instanceof Cluster ? this.masterOf(roomKey) : this.redis;
    const acknowledged = await this.call('wait', () => node.wait(replicas, this.options.waitTimeoutMs ?? 500));
    if (acknowledged < replicas) throw new StoreUnavailableError();
  }

  /** The cluster connection that serves the key's slot (where the script ran). */
  private masterOf(key: string): Redis {
    const cluster = this.redis as Cluster;
    const nodeKey = cluster.slots[calculateSlot(key)]?.[0];
    const node = cluster.nodes('master').find((n) => `${n.options.host}:${n.options.port}` === nodeKey);
    if (!node) throw new StoreUnavailableError();
    return node;
  }

  /** The room's shard channel: same hash tag as its keys, so the append script may SPUBLISH on it. */
  private roomChannel(roomId: string): string {
    return `${this.options.keyPrefix}room:{${roomId}}:events`;
  }

  private roomKeys(roomId: string): string[] {
    const base = `${this.options.keyPrefix}room:{${roomId}}`;
    return [base, `${base}:members`, `${base}:online`, `${base}:conns`, `${base}:messages`, `${base}:dedupe`];
  }

  /** The live rooms a user created, scored by deadline (its count is checked where rooms are reserved). */
  private ownerRoomsKey(userId: string): string {
    return `${this.options.keyPrefix}owner:${createHash('sha256').update(userId).digest('base64url')}:live`;
  }

  private instanceConnsKey(instanceId: string): string {
    return `${this.options.keyPrefix}instance:${instanceId}:conns`;
  }

  /** Runs a room script and turns its status into a domain error. */
  private room(roomId: string, script: ScriptName, ...args: Array<string | number>): Promise<Reply> {
    return this.answer(script, () => this.redis[script](...this.roomKeys(roomId), ...args));
  }

  /** Awaits a room script's reply (sent by `send`) and turns its status into a domain error. */
  private async answer(script: ScriptName, send: () => Promise<Reply>): Promise<Reply> {
    const reply = await this.call(script, send);
    switch (reply[0]) {
      case 'ROOM_NOT_FOUND':
        throw new RoomNotFoundError();
      case 'NICK_TAKEN':
        throw new NickTakenError();
      case 'TOKEN_INVALID':
        throw new TokenInvalidError();
      case 'ROOM_FULL':
        throw new RoomFullError();
      case 'RATE_LIMITED':
        throw new RateLimitedError(Math.max(1, Number(reply[1])));
      default:
        return reply;
    }
  }

  /** Any failure that is not a domain answer means the store is unavailable. */
  private async call<T>(name: string, command: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    let failed = false;
    try {
      return await command();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      failed = true;
      throw new StoreUnavailableError();
    } finally {
      this.options.observe?.(name, Number(process.hrtime.bigint() - started) / 1e9, failed);
    }
  }

  /** The record in a script's reply; `optionsAt`: where its title and encrypted flag are. */
  private toRecord(roomId: string, reply: Reply, optionsAt: number): RoomRecord {
    const title = String(reply[optionsAt] ?? '');
    const encrypted = String(reply[optionsAt + 1]) === '1';
    return {
      roomId,
      createdAt: Number(reply[1]),
      expiresAt: Number(reply[2]),
      idleExpiresAt: Number(reply[3]),
      lastMessageId: Number(reply[4]),
      ...(title !== '' && { title }),
      ...(encrypted && { encrypted }),
    };
  }
}

/** `promise`, or a rejection after `ms` (a subscriber keeps its offline queue: its commands would wait for Redis). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
