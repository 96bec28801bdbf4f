// The spool's state moves as Lua scripts: each runs atomically in Redis, so
// "at most one claimer" needs no lock, and each is one round trip. Every
// script gets the whole key list of keys.ts as KEYS (Cluster-clean: no key
// is built inside Lua).
//
// Safe to re-send (ioredis re-sends a command whose reply was lost in a
// reconnect): enqueue is keyed by the client-made task ids (a batch already
// stored answers "ok" again); claim is keyed by a claim token (the same
// token gets the same task back); complete/retry/fail/renew check the token
// the task was claimed with, so a re-sent one changes nothing more (it then
// reports the claim gone, which the claimer logs).
//
// Time: due times (`at`, back-off) are the producers' clocks, as in the file
// store (unix ms passed in ARGV); lease deadlines are Redis's own clock
// (TIME), so instances on machines whose clocks differ agree on expiry.
import { PRELUDE } from "./lua-prelude.ts";

/** enqueue: ARGV now, n, then per task: id rec due prio retries backoff key attempts lastError ('' = none). */
const ENQUEUE = `
local now, n = tonumber(ARGV[1]), tonumber(ARGV[2])
local F = 9
if n > 0 and redis.call('HEXISTS', K_REC, ARGV[3]) == 1 then return {'ok'} end
local seen = {}
for i = 0, n - 1 do
  local key = ARGV[3 + i * F + 6]
  if key ~= '' then
    if seen[key] then return {'dup', key, seen[key]} end
    seen[key] = ARGV[3 + i * F]
    local other = redis.call('HGET', K_KEYS, key)
    if other then
      local om = getm(other)
      if om and (om.s == 'p' or om.s == 'r') then return {'dup', key, other} end
    end
  end
end
local seq = redis.call('INCRBY', K_SEQ, n) - n
for i = 0, n - 1 do
  local b = 3 + i * F
  local id = ARGV[b]
  local m = { a = tonumber(ARGV[b + 7]), d = tonumber(ARGV[b + 2]), q = seq + i + 1 }
  if ARGV[b + 3] ~= '' then m.p = ARGV[b + 3] end
  if ARGV[b + 4] ~= '' then m.r = ARGV[b + 4] end
  if ARGV[b + 5] ~= '' then m.b = tonumber(ARGV[b + 5]) end
  if ARGV[b + 6] ~= '' then m.k = ARGV[b + 6]; redis.call('HSET', K_KEYS, m.k, id) end
  if ARGV[b + 8] ~= '' then m.e = ARGV[b + 8] end
  redis.call('HSET', K_REC, id, ARGV[b + 1])
  queue(id, m, now)
end
wake(n)
return {'ok'}
`;

/**
 * claim: ARGV now, token, owner, leaseMs [, k]. Returns {id, rec, metaJson, ...}
 * (up to k tasks; the 2nd on are claimed ahead, flagged, with tokens token:2…)
 * or nil.
 */
const CLAIM = `
local now, token, owner, lease = tonumber(ARGV[1]), ARGV[2], ARGV[3], tonumber(ARGV[4])
local srv = srvnow()
local again = redis.call('HGET', K_TOK, token)
if again then
  local m = getm(again)
  if held(m, token) then
    redis.call('ZADD', K_RUNNING, srv + lease, again)
    return {again, redis.call('HGET', K_REC, again), cjson.encode(m)}
  end
end
local first = claim_next(now, token, owner, lease, nil)
if not first then return false end
local k = ahead_count(tonumber(ARGV[5] or '1') or 1)
for i = 2, k do
  local c = claim_next(now, token .. ':' .. i, owner, lease, 1)
  if not c then break end
  first[#first + 1] = c[1]; first[#first + 1] = c[2]; first[#first + 1] = c[3]
end
return first
`;

/**
 * complete_many: ARGV n, then n pairs id token, then token owner lease now k.
 * Completes what is still held (a claim lost meanwhile ran elsewhere: skipped),
 * then claims up to k tasks ahead (flagged, tokens token:1…).
 * Returns {lost, id, rec, meta, ...}.
 */
const COMPLETE_MANY = `
local n = tonumber(ARGV[1])
local lost = 0
for i = 0, n - 1 do
  local id, token = ARGV[2 + i * 2], ARGV[3 + i * 2]
  local m = getm(id)
  if held(m, token) then
    leave_running(id, m)
    release_key(id, m)
    redis.call('HDEL', K_REC, id)
    redis.call('HDEL', K_META, id)
  elseif m then lost = lost + 1 end
end
local b = 2 + n * 2
local token, owner, lease, now, k = ARGV[b], ARGV[b + 1], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
local out = {lost}
k = ahead_count(k)
for i = 1, k do
  local c = claim_next(now, token .. ':' .. i, owner, lease, 1)
  if not c then break end
  out[#out + 1] = c[1]; out[#out + 1] = c[2]; out[#out + 1] = c[3]
end
return out
`;


/** renew: ARGV id, token, leaseMs. 1 = still held, 0 = lost. */
const RENEW = `
local id, token, lease = ARGV[1], ARGV[2], tonumber(ARGV[3])
if not held(getm(id), token) then return 0 end
redis.call('ZADD', K_RUNNING, 'XX', srvnow() + lease, id)
return 1
`;

/** complete: ARGV id, token. 1 done, 0 already gone (a re-sent complete), -1 held by another claim. */
const COMPLETE = `
local id, token = ARGV[1], ARGV[2]
local m = getm(id)
if not m then return 0 end
if not held(m, token) then return -1 end
leave_running(id, m)
release_key(id, m)
redis.call('HDEL', K_REC, id)
redis.call('HDEL', K_META, id)
return 1
`;

/** retry: ARGV id, token, now, delayMs, error ('\\0' = keep), countAttempt (1/0). */
const RETRY = `
local id, token, now, delay = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local m = getm(id)
if not held(m, token) then return -1 end
leave_running(id, m)
if ARGV[6] == '1' then m.a = (m.a or 0) + 1 end
if ARGV[5] ~= '\\0' then m.e = ARGV[5] end
m.d = now + math.max(0, delay)
m.at = m.d
queue(id, m, now)
wake(1)
return 1
`;

/** fail: ARGV id, token, now, error. */
const FAIL = `
local id, token, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local m = getm(id)
if not held(m, token) then return -1 end
leave_running(id, m)
m.a = (m.a or 0) + 1
m.e = ARGV[4]
to_failed(id, m, now)
return 1
`;

/** quarantine: ARGV id, token, reason. The bytes stay in rec for inspection. */
const QUARANTINE = `
local id, token = ARGV[1], ARGV[2]
local m = getm(id)
if not held(m, token) then return -1 end
leave_running(id, m)
release_key(id, m)
m.s = 'x'; m.t = nil; m.o = nil
setm(id, m)
redis.call('HSET', K_QUAR, id, ARGV[3])
return 1
`;

/** recover_one: ARGV id, token seen, now, why. A dead local claimer's task (pid checked by the caller). */
const RECOVER_ONE = `
local id, token, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local m = getm(id)
if not held(m, token) then return 0 end
return requeue_dead(id, m, now, ARGV[4], true)
`;

/** reap: ARGV now, limit. Expired leases, re-queued with the attempt counted: {id, 1|2, ...}. */
const REAP = `
return reap(srvnow(), tonumber(ARGV[1]), tonumber(ARGV[2]))
`;

/** retry_failed: ARGV id ('' = all), now. Returns {moved, refusedKey, refusedBy}. */
const RETRY_FAILED = `
local want, now = ARGV[1], tonumber(ARGV[2])
local ids
if want == '' then ids = redis.call('ZRANGE', K_FAILED, 0, -1)
elseif redis.call('ZSCORE', K_FAILED, want) then ids = {want}
else return {0} end
local moved = 0
for _, id in ipairs(ids) do
  local m = getm(id)
  if m then
    local blocked = nil
    if m.k then
      local other = redis.call('HGET', K_KEYS, m.k)
      if other and other ~= id then
        local om = getm(other)
        if om and (om.s == 'p' or om.s == 'r') then blocked = other end
      end
    end
    if blocked then
      if want ~= '' then return {0, m.k, blocked} end
    else
      redis.call('ZREM', K_FAILED, id)
      if m.k then redis.call('HSET', K_KEYS, m.k, id) end
      m.a = 0; m.f = nil; m.d = now; m.at = now
      queue(id, m, now)
      moved = moved + 1
    end
  else
    redis.call('ZREM', K_FAILED, id)
  end
end
wake(moved)
return {moved}
`;

/** purge_failed: deletes every failed task; returns how many. */
const PURGE_FAILED = `
local ids = redis.call('ZRANGE', K_FAILED, 0, -1)
for _, id in ipairs(ids) do
  redis.call('HDEL', K_REC, id)
  redis.call('HDEL', K_META, id)
end
redis.call('DEL', K_FAILED)
return #ids
`;

/** next_due: ARGV now, leases (1/0). Earliest of: a ready task (its due), the delayed head, and with leases the first lease to expire (in the caller's clock). */
const NEXT_DUE = `
local now = tonumber(ARGV[1])
local best = nil
local r = redis.call('ZRANGE', K_READY, 0, 0)
if #r > 0 then best = tonumber(string.match(r[1], '^[pq]%d*:(%d+):')) end
local d = redis.call('ZRANGE', K_DELAYED, 0, 0, 'WITHSCORES')
if #d > 0 and (best == nil or tonumber(d[2]) < best) then best = tonumber(d[2]) end
local l = {}
if ARGV[2] == '1' then l = redis.call('ZRANGE', K_RUNNING, 0, 0, 'WITHSCORES') end
if #l > 0 then
  local at = now + (tonumber(l[2]) - srvnow())
  if best == nil or at < best then best = at end
end
return best and tostring(best) or false
`;

export const SCRIPTS = {
  mfEnqueue: ENQUEUE,
  mfClaim: CLAIM,
  mfRenew: RENEW,
  mfComplete: COMPLETE,
  mfCompleteMany: COMPLETE_MANY,
  mfRetry: RETRY,
  mfFail: FAIL,
  mfQuarantine: QUARANTINE,
  mfRecoverOne: RECOVER_ONE,
  mfReap: REAP,
  mfRetryFailed: RETRY_FAILED,
  mfPurgeFailed: PURGE_FAILED,
  mfNextDue: NEXT_DUE,
} as const;

export type ScriptName = keyof typeof SCRIPTS;

/** Lua text of one script, with the shared helpers in front. */
export function scriptSource(name: ScriptName): string {
  return PRELUDE + SCRIPTS[name];
}
