/**
 * Lua scripts of RedisRoomRepository: each runs atomically in Redis, so no read-modify-write race exists
 * between instances. Every script touching a room gets only that room's keys, which share the hash tag
 * {roomId} (Redis Cluster safe). Scripts answer a table whose first element is a status.
 *
 * Room keys (KEYS order for room scripts): 1 room hash, 2 members hash, 3 online hash, 4 conns set,
 * 5 messages list, 6 dedupe zset.
 *
 * History: the messages list is trimmed to the history limit only once it holds TRIM_SLACK messages more than that
 * (one LTRIM and one ZREMRANGEBYSCORE per TRIM_SLACK messages instead of per message: about a seventh of the
 * append script's cost). The room hash's \`firstId\` is the oldest id within the limit, written with every append;
 * readers start there, so older messages still in the list are neither listed nor found as duplicates.
 */

/** How many messages past the history limit the list may hold before it is trimmed (see above). */
export const TRIM_SLACK = 32;

/** Shared prologue: liveness check and TTL refresh. */
const PROLOGUE = `
local function alive(exp, idle, now)
  return now < exp and now < idle
end
local function live(now)
  local r = redis.call('HMGET', KEYS[1], 'expiresAt', 'idleExpiresAt')
  if not r[1] then return nil end
  local exp, idle = tonumber(r[1]), tonumber(r[2])
  if not alive(exp, idle, now) then return nil end
  return exp, idle
end
local function expireAll(at)
  for i = 1, #KEYS do redis.call('PEXPIREAT', KEYS[i], at) end
end
-- A key this script may just have created (it has no TTL yet) gets the room hash's.
local function adopt(i)
  if redis.call('PTTL', KEYS[i]) ~= -1 then return end
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[i], ttl) end
end
-- Activity moves the idle deadline; keys' TTLs and the global deadline index follow the room's deadline in steps
-- of a second or more, so a busy room does not rewrite six TTLs per message: keys expire between
-- deadline + grace - 1 s and deadline + grace. Answers the new idle deadline, the room's deadline, and whether
-- TTLs and index should follow it now.
local function nextDeadline(exp, idle, indexed, newIdle)
  idle = math.max(idle, newIdle)
  local deadline = math.min(exp, idle)
  return idle, deadline, deadline - indexed >= 1000
end
-- Answers the new deadline when it moved TTLs and index (the caller then updates the index), else 0.
local function moveIdle(newIdle, grace)
  local r = redis.call('HMGET', KEYS[1], 'expiresAt', 'idleExpiresAt', 'indexedDeadline')
  local exp, idle, indexed = tonumber(r[1]), tonumber(r[2]), tonumber(r[3] or '0')
  local nextIdle, deadline, follow = nextDeadline(exp, idle, indexed, newIdle)
  if nextIdle > idle then redis.call('HSET', KEYS[1], 'idleExpiresAt', nextIdle) end
  if not follow then return 0 end
  expireAll(deadline + grace)
  redis.call('HSET', KEYS[1], 'indexedDeadline', deadline)
  return deadline
end
-- The room's signed-in creator ('' when none) when its deadline moved (reindex > 0): the caller moves the room in
-- that owner's live rooms too. Read only then, so the hot path reads nothing more.
local function ownerOf(reindex)
  if reindex == 0 then return '' end
  return redis.call('HGET', KEYS[1], 'ownerId') or ''
end
-- Rooms created before epochs existed have none: theirs is '1' until a rollback gives them one.
local function epochOf(value)
  return value or '1'
end
local function record()
  return redis.call('HMGET', KEYS[1], 'createdAt', 'expiresAt', 'idleExpiresAt', 'lastMessageId', 'title', 'encrypted')
end
-- The id of the list's first entry, and the oldest id readers see (the room hash's firstId, see the history note).
local function historyWindow(last, firstId)
  local listed = last - redis.call('LLEN', KEYS[5]) + 1
  return listed, math.max(listed, tonumber(firstId or '0'))
end
`;

/**
 * KEYS: the global deadline index (one zset: the MAX_ROOMS cap is exact). ARGV: roomId, now, maxRooms, deadline.
 * A room counts while its indexed deadline is in the future.
 */
export const RESERVE_ROOM = `
local now, maxRooms = tonumber(ARGV[2]), tonumber(ARGV[3])
local live = redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
if live >= maxRooms then
  local first = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  return {'ROOM_LIMIT_REACHED', tonumber(first[2]) - now}
end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
return {'OK'}
`;

/**
 * KEYS: the owner's live rooms (a zset in the owner's own slot, scored like the global index: the room's deadline,
 * moved along with it). ARGV: roomId, now, maxRoomsPerOwner, deadline, keep the key until. Rooms whose deadline
 * passed leave it here, so the count is exact without reading the rooms (other slots).
 */
export const RESERVE_OWNER = `
local now = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {'ROOM_LIMIT_REACHED', tonumber(first[2]) - now}
end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[5]) - now then redis.call('PEXPIREAT', KEYS[1], ARGV[5]) end
return {'OK'}
`;

/**
 * ARGV: createdAt, expiresAt, idleExpiresAt, grace, ownerKeyHash, ownerId ('' when none), epoch, title ('' when none),
 * encrypted ('1' or '0').
 */
export const CREATE_ROOM = `${PROLOGUE}
local deadline = math.min(tonumber(ARGV[2]), tonumber(ARGV[3]))
redis.call('HSET', KEYS[1], 'createdAt', ARGV[1], 'expiresAt', ARGV[2], 'idleExpiresAt', ARGV[3],
  'lastMessageId', 0, 'joinSeq', 0, 'indexedDeadline', deadline, 'ownerKeyHash', ARGV[5], 'ownerId', ARGV[6],
  'epoch', ARGV[7], 'title', ARGV[8], 'encrypted', ARGV[9])
expireAll(deadline + tonumber(ARGV[4]))
return {'OK'}
`;

/** ARGV: now. */
export const GET_ROOM = `${PROLOGUE}
if not live(tonumber(ARGV[1])) then return {'ROOM_NOT_FOUND'} end
local r = record()
return {'OK', r[1], r[2], r[3], r[4], r[5] or '', r[6] or '0'}
`;

/**
 * ARGV: now, memberId, nick, nickKey, tokenHash, idleExpiresAt, grace, maxMembers, publicId, reclaimAfterMs.
 * A full room retires the member offline the longest (the room hash's \`off:<memberId>\`: since when it has had no
 * connection, from its join on) when that is reclaimAfterMs or more (> 0) ago; in this same step, so two joins
 * cannot both take one freed place.
 */
export const ADD_MEMBER = `${PROLOGUE}
local now = tonumber(ARGV[1])
if not live(now) then return {'ROOM_NOT_FOUND'} end
if redis.call('HEXISTS', KEYS[2], 'n:' .. ARGV[4]) == 1 then return {'NICK_TAKEN'} end
if tonumber(redis.call('HGET', KEYS[1], 'memberCount') or '0') >= tonumber(ARGV[8]) then
  local reclaim = tonumber(ARGV[10])
  if reclaim <= 0 then return {'ROOM_FULL'} end
  local all = redis.call('HGETALL', KEYS[2])
  local oldest, oldestSeq, since = nil, nil, now - reclaim
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, 2) == 'm:' then
      local id = string.sub(all[i], 3)
      local off = tonumber(redis.call('HGET', KEYS[1], 'off:' .. id) or '')
      local seq = cjson.decode(all[i + 1]).seq
      if off and off <= now - reclaim and tonumber(redis.call('HGET', KEYS[3], id) or '0') <= 0
        and (oldest == nil or off < since or (off == since and seq < oldestSeq)) then
        oldest, oldestSeq, since = id, seq, off
      end
    end
  end
  if not oldest then return {'ROOM_FULL'} end
  local retired = cjson.decode(redis.call('HGET', KEYS[2], 'm:' .. oldest))
  redis.call('HDEL', KEYS[2], 'm:' .. oldest, 'n:' .. retired.nickKey, 't:' .. retired.tokenHash)
  redis.call('HDEL', KEYS[1], 'lt:' .. oldest, 'off:' .. oldest)
  redis.call('HDEL', KEYS[3], oldest)
  redis.call('HINCRBY', KEYS[1], 'memberCount', -1)
end
redis.call('HINCRBY', KEYS[1], 'memberCount', 1)
local seq = redis.call('HINCRBY', KEYS[1], 'joinSeq', 1)
redis.call('HSET', KEYS[1], 'off:' .. ARGV[2], now)
redis.call('HSET', KEYS[2],
  'm:' .. ARGV[2], cjson.encode({nick = ARGV[3], nickKey = ARGV[4], tokenHash = ARGV[5], seq = seq, pid = ARGV[9]}),
  'n:' .. ARGV[4], ARGV[2],
  't:' .. ARGV[5], ARGV[2])
local reindex = moveIdle(tonumber(ARGV[6]), tonumber(ARGV[7]))
if reindex == 0 then adopt(2) end
local r = record()
return {'OK', r[1], r[2], r[3], r[4], reindex, ownerOf(reindex), r[5] or '', r[6] or '0'}
`;

/** ARGV: now, tokenHash. */
export const AUTHENTICATE = `${PROLOGUE}
if not live(tonumber(ARGV[1])) then return {'ROOM_NOT_FOUND'} end
local id = redis.call('HGET', KEYS[2], 't:' .. ARGV[2])
if not id then return {'TOKEN_INVALID'} end
local m = redis.call('HGET', KEYS[2], 'm:' .. id)
if not m then return {'TOKEN_INVALID'} end
local member = cjson.decode(m)
return {'OK', id, member.nick, member.pid}
`;

/** ARGV: now, idleExpiresAt, grace. */
export const TOUCH_ROOM = `${PROLOGUE}
if not live(tonumber(ARGV[1])) then return {'ROOM_NOT_FOUND'} end
local reindex = moveIdle(tonumber(ARGV[2]), tonumber(ARGV[3]))
local r = record()
return {'OK', r[1], r[2], r[3], r[4], reindex, ownerOf(reindex), r[5] or '', r[6] or '0'}
`;

/**
 * ARGV: now, tokenHash, idleExpiresAt, grace, minInterval. room:touch: the token's member moves the idle deadline at
 * most once per minInterval; its last accepted touch is the room hash's \`lt:<memberId>\`.
 */
export const TOUCH_BY_MEMBER = `${PROLOGUE}
local now = tonumber(ARGV[1])
if not live(now) then return {'ROOM_NOT_FOUND'} end
local id = redis.call('HGET', KEYS[2], 't:' .. ARGV[2])
if not id then return {'TOKEN_INVALID'} end
local last = tonumber(redis.call('HGET', KEYS[1], 'lt:' .. id) or '')
local interval = tonumber(ARGV[5])
if last and now - last < interval then return {'RATE_LIMITED', last + interval - now} end
redis.call('HSET', KEYS[1], 'lt:' .. id, now)
local reindex = moveIdle(tonumber(ARGV[3]), tonumber(ARGV[4]))
local r = record()
return {'OK', r[1], r[2], r[3], r[4], reindex, ownerOf(reindex), r[5] or '', r[6] or '0'}
`;

/** ARGV: now, memberId. */
export const REMOVE_MEMBER = `${PROLOGUE}
if not live(tonumber(ARGV[1])) then return {'ROOM_NOT_FOUND'} end
local m = redis.call('HGET', KEYS[2], 'm:' .. ARGV[2])
if not m then return {'OK'} end
local member = cjson.decode(m)
redis.call('HDEL', KEYS[2], 'm:' .. ARGV[2], 'n:' .. member.nickKey, 't:' .. member.tokenHash)
redis.call('HINCRBY', KEYS[1], 'memberCount', -1)
redis.call('HDEL', KEYS[1], 'lt:' .. ARGV[2], 'off:' .. ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[2])
local prefix = ARGV[2] .. '|'
for _, conn in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  if string.sub(conn, 1, #prefix) == prefix then redis.call('SREM', KEYS[4], conn) end
end
return {'OK'}
`;

/** ARGV: now. Answers nick, online, publicId, nick, online, publicId, ... in join order. */
export const LIST_MEMBERS = `${PROLOGUE}
if not live(tonumber(ARGV[1])) then return {'ROOM_NOT_FOUND'} end
local all = redis.call('HGETALL', KEYS[2])
local members = {}
for i = 1, #all, 2 do
  if string.sub(all[i], 1, 2) == 'm:' then
    local id = string.sub(all[i], 3)
    local m = cjson.decode(all[i + 1])
    local count = tonumber(redis.call('HGET', KEYS[3], id) or '0')
    table.insert(members, {seq = m.seq, nick = m.nick, online = count > 0 and 1 or 0, pid = m.pid})
  end
end
table.sort(members, function(a, b) return a.seq < b.seq end)
local out = {'OK'}
for _, m in ipairs(members) do
  table.insert(out, m.nick)
  table.insert(out, m.online)
  table.insert(out, m.pid)
end
return out
`;

/** ARGV: now, memberId, connectionId. Answers 1 when the member came online. */
export const ADD_CONNECTION = `${PROLOGUE}
if not live(tonumber(ARGV[1])) then return {'ROOM_NOT_FOUND'} end
if redis.call('HEXISTS', KEYS[2], 'm:' .. ARGV[2]) == 0 then return {'TOKEN_INVALID'} end
if redis.call('SADD', KEYS[4], ARGV[2] .. '|' .. ARGV[3]) == 0 then return {'OK', 0} end
local count = redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
redis.call('HDEL', KEYS[1], 'off:' .. ARGV[2])
adopt(3)
adopt(4)
return {'OK', count == 1 and 1 or 0}
`;

/**
 * ARGV: memberId, connectionId, now. Answers 1 when the member went offline (noted as its \`off:\` time). No liveness
 * check.
 */
export const REMOVE_CONNECTION = `
if redis.call('SREM', KEYS[4], ARGV[1] .. '|' .. ARGV[2]) == 0 then return {'OK', 0} end
local count = redis.call('HINCRBY', KEYS[3], ARGV[1], -1)
if count <= 0 then
  redis.call('HDEL', KEYS[3], ARGV[1])
  if redis.call('HEXISTS', KEYS[2], 'm:' .. ARGV[1]) == 1 then redis.call('HSET', KEYS[1], 'off:' .. ARGV[1], ARGV[3]) end
  return {'OK', 1}
end
return {'OK', 0}
`;

/**
 * ARGV: now, roomId, tokenHash, text, clientMsgId ('' for none), sentAt, historyLimit, idleExpiresAt, grace, channel,
 * knownEpoch, knownId, kinds (the kinds of room the text fits: 'p' plain, 'e' encrypted, 'pe' both; another room
 * answers {'WRONG_KIND', encrypted}).
 * Rollback: a failover can promote a replica that lacks the room's newest messages. The caller says the highest id
 * it has seen in the room (knownId, in knownEpoch); when the room is in that epoch but behind it, the room takes a
 * new epoch (derived from the old one and knownId, so no random value travels with every append) and its ids continue
 * after knownId (the missing ids become empty list entries, which readers skip), so no id seen anywhere is given to a
 * second message.
 * Next id + store + trim + idle refresh + de-duplication + publish, in one step: the channel carries
 * messages in exactly the order of their ids. Answers {'OK', id, nick, reindex, publicId, ownerId when reindexed, epoch}
 * (the caller has the rest of the message) or {'DUPLICATE', storedJson, epoch}. The hot path of Redis mode: one read of the room hash and one write.
 */
export const APPEND_MESSAGE = `${PROLOGUE}
local now = tonumber(ARGV[1])
local r = redis.call('HMGET', KEYS[1], 'expiresAt', 'idleExpiresAt', 'indexedDeadline', 'lastMessageId', 'firstId',
  'epoch', 'encrypted')
if not r[1] then return {'ROOM_NOT_FOUND'} end
local exp, idle, indexed, last = tonumber(r[1]), tonumber(r[2]), tonumber(r[3] or '0'), tonumber(r[4] or '0')
if not alive(exp, idle, now) then return {'ROOM_NOT_FOUND'} end
local epoch = epochOf(r[6])
local memberId = redis.call('HGET', KEYS[2], 't:' .. ARGV[3])
if not memberId then return {'TOKEN_INVALID'} end
local sender = redis.call('HGET', KEYS[2], 'm:' .. memberId)
if not sender then return {'TOKEN_INVALID'} end
local encrypted = r[7] == '1'
if not string.find(ARGV[13], encrypted and 'e' or 'p', 1, true) then return {'WRONG_KIND', encrypted and 1 or 0} end
local dedupeKey = nil
if ARGV[5] ~= '' then
  dedupeKey = memberId .. '|' .. ARGV[5]
  local seen = redis.call('ZSCORE', KEYS[6], dedupeKey)
  if seen then
    local listed, oldest = historyWindow(last, r[5])
    local id = tonumber(seen)
    if id >= oldest then
      return {'DUPLICATE', redis.call('LINDEX', KEYS[5], id - listed), epoch}
    end
  end
end
local limit = tonumber(ARGV[7])
local known = tonumber(ARGV[12])
if ARGV[11] == epoch and known > last then
  epoch = string.sub(redis.sha1hex(epoch .. ':' .. known), 1, 8)
  local missing = known - last
  if missing > limit then
    redis.call('DEL', KEYS[5], KEYS[6])
  else
    for _ = 1, missing do redis.call('RPUSH', KEYS[5], '') end
    adopt(5)
  end
  -- The append below writes lastMessageId and firstId from here on.
  last = known
  redis.call('HSET', KEYS[1], 'epoch', epoch)
end
local id = last + 1
local firstId = math.max(1, id - limit + 1)
local senderRecord = cjson.decode(sender)
local nick, pid = senderRecord.nick, senderRecord.pid
local message = {id = id, roomId = ARGV[2], nick = nick, memberId = pid, text = ARGV[4], sentAt = ARGV[6]}
if dedupeKey then message.clientMsgId = ARGV[5] end
local json = cjson.encode(message)
-- moveIdle's rule, with the room hash written once: id, idle deadline and (when TTLs follow) the indexed deadline.
local deadline, follow
idle, deadline, follow = nextDeadline(exp, idle, indexed, tonumber(ARGV[8]))
local reindex = 0
if follow then
  reindex = deadline
  redis.call('HSET', KEYS[1], 'lastMessageId', id, 'idleExpiresAt', idle, 'firstId', firstId,
    'indexedDeadline', deadline)
else
  redis.call('HSET', KEYS[1], 'lastMessageId', id, 'idleExpiresAt', idle, 'firstId', firstId)
end
local length = redis.call('RPUSH', KEYS[5], json)
if dedupeKey then redis.call('ZADD', KEYS[6], id, dedupeKey) end
if length > limit + ${TRIM_SLACK} then
  -- De-duplication entries of trimmed messages go with them.
  redis.call('LTRIM', KEYS[5], -limit, -1)
  redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', '(' .. firstId)
end
if reindex > 0 then
  expireAll(deadline + tonumber(ARGV[9]))
else
  if length == 1 then adopt(5) end
  if dedupeKey then adopt(6) end
end
-- The room's own shard channel, from inside the script: listeners hear messages exactly in the order of their ids,
-- each with the epoch it was stored in.
redis.call('SPUBLISH', ARGV[10], string.sub(json, 1, -2) .. ',"epoch":' .. cjson.encode(epoch) .. '}')
return {'OK', id, nick, reindex, pid, ownerOf(reindex), epoch}
`;

/**
 * ARGV: now, afterId. Answers truncated flag, epoch, then the messages' JSON, oldest first (the empty entries of ids
 * a rollback lost are skipped).
 */
export const LIST_MESSAGES = `${PROLOGUE}
if not live(tonumber(ARGV[1])) then return {'ROOM_NOT_FOUND'} end
local afterId = tonumber(ARGV[2])
local r = redis.call('HMGET', KEYS[1], 'lastMessageId', 'firstId', 'epoch')
local last = tonumber(r[1])
local listed, oldest = historyWindow(last, r[2])
local truncated = (afterId + 1 < oldest and afterId < last) and 1 or 0
local out = {'OK', truncated, epochOf(r[3])}
if afterId >= last then return out end
local start = math.max(afterId + 1, oldest) - listed
for _, json in ipairs(redis.call('LRANGE', KEYS[5], start, -1)) do
  if json ~= '' then table.insert(out, json) end
end
return out
`;

/**
 * ARGV: now, ownerKeyHash, userId ('' when not given). Deletes the live room's keys when the closer holds its owner
 * key or created it. Only the room's own keys (one hash slot); the caller then takes the room out of the index and
 * out of its creator's live rooms (answered: '' when none).
 */
export const CLOSE_ROOM = `${PROLOGUE}
if not live(tonumber(ARGV[1])) then return {'ROOM_NOT_FOUND'} end
local owner = redis.call('HMGET', KEYS[1], 'ownerKeyHash', 'ownerId')
local byKey = ARGV[2] ~= '' and owner[1] == ARGV[2]
local byUser = ARGV[3] ~= '' and owner[2] == ARGV[3]
if not byKey and not byUser then return {'NOT_ROOM_OWNER'} end
redis.call('DEL', unpack(KEYS))
return {'CLOSED', owner[2] or ''}
`;

/** ARGV: now. Deletes the room's keys when it has expired. Answers the room's creator ('' when none) last. */
export const CLOSE_IF_EXPIRED = `
local r = redis.call('HMGET', KEYS[1], 'expiresAt', 'idleExpiresAt', 'ownerId')
if not r[1] then return {'GONE'} end
local exp, idle, now = tonumber(r[1]), tonumber(r[2]), tonumber(ARGV[1])
if now < exp and now < idle then return {'ALIVE', math.min(exp, idle), r[3] or ''} end
redis.call('DEL', unpack(KEYS))
return {'CLOSED', exp <= idle and 'ttl' or 'idle', r[3] or ''}
`;
