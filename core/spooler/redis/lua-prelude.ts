// The Lua helpers every script of the Redis store starts with: key names
// (KEYS in keys.ts's order), the meta record, members of the ready set
// (prio:due:seq:id, ordered as text), requeue/fail moves with the retry policy
// of policy.ts, lease reaping, promotion of due delayed tasks, and the claim
// of the next task (claim_next), shared by the claim and settle scripts.
import { DEFAULT_BACKOFF_S, DEFAULT_RETRIES, MAX_BACKOFF_MS } from "../policy.ts";

export const PRELUDE = `
local K_READY, K_DELAYED, K_RUNNING, K_FAILED, K_REC, K_META, K_KEYS, K_TOK, K_WAKE, K_QUAR, K_SEQ, K_PF =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12]
local WAKE_CAP = 1023
local function srvnow()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function getm(id)
  local s = redis.call('HGET', K_META, id)
  if not s then return nil end
  return cjson.decode(s)
end
local function setm(id, m) redis.call('HSET', K_META, id, cjson.encode(m)) end
local function member(m, id)
  local p = 'q'
  if m.p then p = 'p' .. m.p end
  return p .. ':' .. string.format('%013d', m.d) .. ':' .. string.format('%012d', m.q) .. ':' .. id
end
local function idof(mem) return string.match(mem, '^[pq]%d*:%d+:%d+:(.+)$') end
-- One marker per new task wakes one blocked claimer each, up to 128 at once
-- (more idle claimers than that look again at their next due time).
local function wake(n)
  if n <= 0 then return end
  local ones = {}
  for i = 1, math.min(n, 128) do ones[i] = '1' end
  redis.call('LPUSH', K_WAKE, unpack(ones))
  redis.call('LTRIM', K_WAKE, 0, WAKE_CAP)
end
-- Pending again, due at m.d (ready if due by now, else delayed).
local function queue(id, m, now)
  m.s = 'p'; m.t = nil; m.o = nil
  local mem = member(m, id)
  m.m = mem
  if m.d <= now then redis.call('ZADD', K_READY, 0, mem) else redis.call('ZADD', K_DELAYED, m.d, mem) end
  setm(id, m)
end
local function release_key(id, m)
  if m.k and redis.call('HGET', K_KEYS, m.k) == id then redis.call('HDEL', K_KEYS, m.k) end
end
-- Returns 1 when the task had been claimed ahead and not started.
local function leave_running(id, m)
  redis.call('ZREM', K_RUNNING, id)
  local unstarted = redis.call('SREM', K_PF, id)
  if m.t then redis.call('HDEL', K_TOK, m.t) end
  return unstarted
end
local function to_failed(id, m, now)
  m.s = 'f'; m.t = nil; m.o = nil; m.m = nil; m.f = now
  redis.call('ZADD', K_FAILED, now, id)
  release_key(id, m)
  setm(id, m)
end
local function may_retry(m, n)
  if m.r == 'inf' then return true end
  return n <= (tonumber(m.r) or ${DEFAULT_RETRIES})
end
local function backoff(m, n)
  local base = (tonumber(m.b) or ${DEFAULT_BACKOFF_S}) * 1000
  if not (base > 0) then return 0 end
  local e = math.min(math.max(n - 1, 0), 30)
  return math.min(base * (2 ^ e), ${MAX_BACKOFF_MS})
end
-- Its claimer is gone (dead process, or a lease nobody renewed): the attempt
-- counts. A dead process waits out its back-off (the task may be what killed
-- it); a lapsed lease (its whole instance went away) goes back where it was
-- in the queue (its due time kept), so the next free claimer anywhere takes it.
local function requeue_dead(id, m, now, why, wait)
  if leave_running(id, m) == 1 then
    -- Claimed ahead by a claimer that never started it: back in its place, uncounted.
    queue(id, m, now)
    wake(1)
    return 1
  end
  local n = (m.a or 0) + 1
  m.a = n
  m.e = why .. ' (attempt ' .. n .. ')'
  if may_retry(m, n) then
    if wait then
      m.d = now + backoff(m, n)
      m.at = m.d
    end
    queue(id, m, now)
    wake(1)
    return 1
  end
  to_failed(id, m, now)
  return 2
end
-- Returns {id, 1 (queued again) | 2 (failed), ...}.
local function reap(srv, now, limit)
  local ids = redis.call('ZRANGEBYSCORE', K_RUNNING, '-inf', srv, 'LIMIT', 0, limit)
  local out = {}
  for _, id in ipairs(ids) do
    local m = getm(id)
    if m then
      out[#out + 1] = id
      out[#out + 1] = requeue_dead(id, m, now, 'its lease expired while running the task (its instance stopped renewing it)', false)
    else redis.call('ZREM', K_RUNNING, id) end
  end
  return out
end
local function promote(now, limit)
  local mems = redis.call('ZRANGEBYSCORE', K_DELAYED, '-inf', now, 'LIMIT', 0, limit)
  for _, mem in ipairs(mems) do
    redis.call('ZREM', K_DELAYED, mem)
    redis.call('ZADD', K_READY, 0, mem)
  end
end
local function held(m, token) return m and m.s == 'r' and m.t == token end
-- Takes the first due task for token (reaping lapsed leases and promoting due
-- delayed tasks first). pf: claimed ahead of its start (noted in K_PF until started).
local function claim_next(now, token, owner, lease, pf)
  local srv = srvnow()
  reap(srv, now, 16)
  promote(now, 256)
  while true do
    local top = redis.call('ZPOPMIN', K_READY)
    if #top == 0 then
      redis.call('DEL', K_WAKE)
      return false
    end
    local id = idof(top[1])
    local m = id and getm(id)
    if m and m.m == top[1] then
      m.s = 'r'; m.t = token; m.o = owner; m.m = nil
      setm(id, m)
      if pf then redis.call('SADD', K_PF, id) end
      redis.call('ZADD', K_RUNNING, srv + lease, id)
      redis.call('HSET', K_TOK, token, id)
      return {id, redis.call('HGET', K_REC, id), cjson.encode(m)}
    end
    -- a member whose task moved on (stale): dropped
  end
end
-- Claiming ahead only from a backlog: with few tasks due, each claimer takes
-- one, so tasks spread over every idle process.
local AHEAD_BACKLOG = 32
local function ahead_count(k)
  if k <= 1 then return k end
  if redis.call('ZCARD', K_READY) < AHEAD_BACKLOG then return 1 end
  return k
end
`;
