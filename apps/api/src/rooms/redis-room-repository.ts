/** RoomRepository on Redis: several API instances share rooms; each mutation is one Lua script. */
import { Logger, OnModuleDestroy } from '@nestjs/common';
import type { Member, Message } from '@tiny-chat/shared-types';
import Redis from 'ioredis';
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
  TokenInvalidError,
} from '../common/domain-errors';
import { corkRedisWrites } from '../transport/fast-paths/corked-redis-writes';
import { DEFAULT_FAST_PATHS, FastPaths } from '../transport/fast-paths/fast-paths';
import { PreparedScript, preparedEvalsha } from '../transport/fast-paths/prepared-evalsha';
import * as scripts from './redis-scripts';
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
  isExpired,
  STORED_JSON,
  StoredMessage,
  TouchOptions,
} from './room-repository';

type Reply = [string, ...Array<string | number>];
type RoomScript = (...args: Array<string | number>) => Promise<Reply>;
type ScriptName =
  | 'tcReserveRoom'
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
type ScriptedRedis = Redis & Record<ScriptName, RoomScript>;

const ROOM_KEY_COUNT = 6;
/** Key counts; undefined: the call passes its key count first (the owner's room set is optional). */
const SCRIPTS: Record<ScriptName, [string, number | undefined]> = {
  tcReserveRoom: [scripts.RESERVE_ROOM, undefined],
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

export interface RedisRoomRepositoryOptions {
  url: string;
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
}

/** Options that make a client fail fast while Redis is away and reconnect by itself. */
export function redisClientOptions(commandTimeoutMs = 1500) {
  return {
    enableOfflineQueue: false,
    // No auto-pipelining: corkRedisWrites already sends a turn's commands in one write, and ioredis'
    // auto-pipeline costs a Pipeline object (every defined script copied onto it) per turn plus a tick per reply.
    enableAutoPipelining: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
  };
}

export class RedisRoomRepository extends RoomRepository implements OnModuleDestroy {
  private readonly logger = new Logger(RedisRoomRepository.name);
  private readonly redis: ScriptedRedis;
  private readonly subscriber: Redis;
  private readonly listeners: Array<(message: Message) => void> = [];
  private readonly instanceId = randomUUID();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly indexKey: string;
  private readonly instancesKey: string;
  private readonly channel: string;
  /** The append script, sent without ioredis' per-call argument handling when that fast path may run. */
  private readonly append?: PreparedScript;

  constructor(private readonly options: RedisRoomRepositoryOptions) {
    super();
    const p = options.keyPrefix;
    this.indexKey = `${p}rooms`;
    this.instancesKey = `${p}instances`;
    this.channel = `${p}messages`;
    this.redis = new Redis(options.url, redisClientOptions(options.commandTimeoutMs)) as ScriptedRedis;
    for (const [name, [lua, numberOfKeys]] of Object.entries(SCRIPTS))
      this.redis.defineCommand(name, { lua, numberOfKeys });
    const fastPaths = options.fastPaths ?? DEFAULT_FAST_PATHS;
    corkRedisWrites(this.redis, fastPaths);
    if (fastPaths.allows(preparedEvalsha)) this.append = new PreparedScript(scripts.APPEND_MESSAGE, ROOM_KEY_COUNT);
    this.redis.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    this.redis.on('ready', () => void this.beat());
    // The subscriber keeps its offline queue: it re-subscribes by itself after a reconnect.
    this.subscriber = new Redis(options.url, { retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000) });
    this.subscriber.on('error', (error: Error) => this.logger.warn(`redis subscriber: ${error.message}`));
    this.subscriber.on('message', (_channel: string, json: string) => this.dispatch(json));
    void this.subscriber
      .subscribe(this.channel)
      .catch((error: unknown) => this.logger.error(`subscribe failed: ${String(error)}`));
    this.heartbeat = setInterval(() => void this.beat(), Math.max(1000, options.instanceTimeoutMs / 3));
    this.heartbeat.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.heartbeat);
    this.subscriber.disconnect();
    this.redis.disconnect();
  }

  /** Waits until both connections are ready (used at start and by tests). */
  async ready(timeoutMs = 5000): Promise<void> {
    const wait = (client: Redis) =>
      client.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => client.once('ready', () => resolve()));
    await Promise.race([
      Promise.all([wait(this.redis), wait(this.subscriber)]),
      new Promise((_, reject) => setTimeout(() => reject(new Error('redis not ready')), timeoutMs).unref()),
    ]);
  }

  /** The server's `INFO server` text (the start-up version check reads it). */
  async serverInfo(): Promise<string> {
    return this.call('info', () => this.redis.info('server'));
  }

  async createRoom(room: RoomRecord, maxRooms: number, now: number, maxRoomsPerOwner?: number): Promise<void> {
    const deadline = Math.min(room.expiresAt, room.idleExpiresAt);
    const args = [room.roomId, now, maxRooms, deadline];
    const ownerId = maxRoomsPerOwner === undefined ? undefined : room.ownerId;
    const reserved = await this.call('tcReserveRoom', () =>
      ownerId === undefined
        ? this.redis.tcReserveRoom(1, this.indexKey, ...args)
        : this.redis.tcReserveRoom(
            2,
            this.indexKey,
            this.ownerRoomsKey(ownerId),
            ...args,
            maxRoomsPerOwner ?? 0,
            room.expiresAt + this.options.graceMs,
          ),
    );
    if (reserved[0] === 'ROOM_LIMIT_REACHED') throw new RoomLimitReachedError(Math.max(1, Number(reserved[1])));
    await this.room(
      room.roomId,
      'tcCreateRoom',
      room.createdAt,
      room.expiresAt,
      room.idleExpiresAt,
      this.options.graceMs,
      room.ownerKeyHash ?? '',
      room.ownerId ?? '',
    );
  }

  async closeRoom(roomId: string, closer: Closer, now: number): Promise<void> {
    const reply = await this.answer('tcCloseRoom', () =>
      this.redis.tcCloseRoom(...this.roomKeys(roomId), now, closer.ownerKeyHash ?? '', closer.userId ?? ''),
    );
    if (reply[0] === 'NOT_ROOM_OWNER') throw new NotRoomOwnerError();
    // Out of the index before the caller answers: the global and the owner's slot are free from then on.
    await this.call('zrem', () => this.redis.zrem(this.indexKey, roomId));
  }

  async listRoomsOf(userId: string, now: number): Promise<OwnedRoomRecord[]> {
    const ids = await this.call('smembers', () => this.redis.smembers(this.ownerRoomsKey(userId)));
    if (ids.length === 0) return [];
    const replies = await this.call('pipeline', () => {
      const pipeline = this.redis.pipeline();
      for (const roomId of ids) {
        const [roomKey, membersKey] = this.roomKeys(roomId) as [string, string];
        pipeline.hmget(roomKey, 'createdAt', 'expiresAt', 'idleExpiresAt', 'lastMessageId', 'ownerId');
        pipeline.hlen(membersKey);
      }
      return pipeline.exec();
    });
    const owned: OwnedRoomRecord[] = [];
    ids.forEach((roomId, i) => {
      const [error, fields] = replies?.[2 * i] ?? [];
      const [, length] = replies?.[2 * i + 1] ?? [];
      if (error) throw new StoreUnavailableError();
      const [createdAt, expiresAt, idleExpiresAt, lastMessageId, ownerId] = (fields ?? []) as Array<string | null>;
      if (createdAt === null || createdAt === undefined || ownerId !== userId) return;
      const record = this.toRecord(roomId, ['OK', createdAt, expiresAt ?? 0, idleExpiresAt ?? 0, lastMessageId ?? 0]);
      if (isExpired(record, now)) return;
      // Each member is three fields of the members hash (record, nick, token).
      owned.push({ ...record, memberCount: Math.floor(Number(length) / 3) });
    });
    return owned.sort((a, b) => a.createdAt - b.createdAt);
  }

  async getRoom(roomId: string, now: number): Promise<RoomRecord | null> {
    try {
      return this.toRecord(roomId, await this.room(roomId, 'tcGetRoom', now));
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
    await this.reindex(roomId, reply[5]);
    return this.toRecord(roomId, reply);
  }

  async authenticate(roomId: string, tokenHash: string, now: number): Promise<MemberRecord> {
    const reply = await this.room(roomId, 'tcAuthenticate', now, tokenHash);
    return { memberId: String(reply[1]), nick: String(reply[2]), publicId: String(reply[3]) };
  }

  async touchRoom(roomId: string, idleExpiresAt: number, now: number): Promise<RoomRecord> {
    const reply = await this.room(roomId, 'tcTouchRoom', now, idleExpiresAt, this.options.graceMs);
    await this.reindex(roomId, reply[5]);
    return this.toRecord(roomId, reply);
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
    await this.reindex(roomId, reply[5]);
    return this.toRecord(roomId, reply);
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
    // first heartbeat is found by the reaper.
    await this.call('multi', () =>
      this.redis
        .multi()
        .sadd(this.instanceConnsKey(this.instanceId), `${roomId}|${memberId}|${connectionId}`)
        .zadd(this.instancesKey, Date.now(), this.instanceId)
        .exec(),
    );
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
      this.channel,
    ];
    const defined = () => this.redis.tcAppendMessage(...keys, ...args);
    const reply = await this.answer('tcAppendMessage', () =>
      this.append ? this.append.run<Reply>(this.redis, keys, args, defined) : defined(),
    );
    if (reply[0] === 'DUPLICATE') return { message: JSON.parse(String(reply[1])) as Message, duplicate: true };
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
    await this.reindex(roomId, reply[3]);
    return { message, duplicate: false };
  }

  async listMessages(roomId: string, afterId: number, now: number): Promise<MessagePage> {
    const reply = await this.room(roomId, 'tcListMessages', now, afterId);
    return {
      truncated: Number(reply[1]) === 1,
      messages: reply.slice(2).map((json) => JSON.parse(String(json)) as Message),
    };
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
        await this.call('zadd', () => this.redis.zadd(this.indexKey, 'XX', 'GT', Number(reply[1]), roomId));
        continue;
      }
      await this.call('zrem', () => this.redis.zrem(this.indexKey, roomId));
      // Only the instance whose script deleted the room reports it, so members hear it once.
      if (reply[0] === 'CLOSED') closed.push({ roomId, reason: reply[1] === 'ttl' ? 'ttl' : 'idle' });
    }
    return closed;
  }

  onMessageStored(listener: (message: Message) => void): void {
    this.listeners.push(listener);
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
      await this.call('multi', () => this.redis.multi().del(key).zrem(this.instancesKey, instanceId).exec());
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
    // One pipeline per 500 rooms; each members hash holds three fields per member (record, nick, token).
    for (let i = 0; i < live.length; i += 500) {
      const batch = live.slice(i, i + 500);
      const replies = await this.call('hlen', () => {
        const pipeline = this.redis.pipeline();
        for (const roomId of batch) pipeline.hlen(this.roomKeys(roomId)[1] ?? '');
        return pipeline.exec();
      });
      for (const [error, length] of replies ?? []) {
        if (error) throw new StoreUnavailableError();
        members += Math.floor(Number(length) / 3);
      }
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

  private dispatch(json: string): void {
    let message: StoredMessage;
    try {
      message = JSON.parse(json) as StoredMessage;
    } catch {
      return;
    }
    // The relay frames this same JSON for the room's members (see STORED_JSON).
    message[STORED_JSON] = json;
    for (const listener of this.listeners) listener(message);
  }

  private async reindex(roomId: string, deadline: string | number | undefined): Promise<void> {
    const value = Number(deadline ?? 0);
    if (value > 0) await this.call('zadd', () => this.redis.zadd(this.indexKey, 'XX', 'GT', value, roomId));
  }

  private roomKeys(roomId: string): string[] {
    const base = `${this.options.keyPrefix}room:{${roomId}}`;
    return [base, `${base}:members`, `${base}:online`, `${base}:conns`, `${base}:messages`, `${base}:dedupe`];
  }

  /** The set of rooms a user created (its count is checked where rooms are reserved). */
  private ownerRoomsKey(userId: string): string {
    return `${this.options.keyPrefix}owner:${createHash('sha256').update(userId).digest('base64url')}:rooms`;
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

  private toRecord(roomId: string, reply: Reply): RoomRecord {
    return {
      roomId,
      createdAt: Number(reply[1]),
      expiresAt: Number(reply[2]),
      idleExpiresAt: Number(reply[3]),
      lastMessageId: Number(reply[4]),
    };
  }
}
