// Task control of a Redis spool: keys beside the store's, under the same hash
// tag {mf:NAME} (so a script may touch both, on Cluster too):
//   {mf:NAME}:res:<id>      msgpack TaskResult, PX the result TTL
//   {mf:NAME}:cancel:<id>   a cancel mark, PX its TTL
//   {mf:NAME}:ncancel       how many marks are outstanding (so a claimer asks per task only then)
//   {mf:NAME}:paused        exists while paused (persisted as Redis persists)
//   {mf:NAME}:prog:<id>     msgpack progress value, PX
//   {mf:NAME}:events        STREAM of msgpack events (MAXLEN ~10000)
//   {mf:NAME}:rate          ZSET of start times in the window (one script)
//   {mf:NAME}:groups        SET of the groups with a lane; {mf:NAME}:gslot:<g> ZSET holder -> lease deadline
//   {mf:NAME}:batch:<id>    HASH total, callback; {mf:NAME}:batchd:<id> HASH task id -> 1|0
import { Buffer } from "node:buffer";
import { openRedis, type RedisClient } from "../../redis/client.ts";
import { parseRedisUrl } from "../../redis/url.ts";
import { SpoolError } from "../../errors.ts";
import { randomHex } from "../../base/random.ts";
import { type BatchState, PAUSE_CACHE_MS, type SpoolEvent, type TaskControl, type TaskId, type TaskResult } from "./control.ts";
import { pack, unpack } from "./codec.ts";

const BOUND_MS = 5000;
const EVENTS_MAXLEN = 10_000;

const TAKE_START = `
local now = tonumber(redis.call('TIME')[1]) * 1000 + math.floor(tonumber(redis.call('TIME')[2]) / 1000)
local n, win = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - win)
if redis.call('ZCARD', KEYS[1]) >= n then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(first[2]) + win - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], win + 1000)
return 0`;

const NOW_MS = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";
// A group's run slots: members are holders, scores their lease deadlines (Redis's clock).
const TAKE_SLOT = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
return 1`;
const RENEW_SLOT = `${NOW_MS}
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2]) end
return 1`;

// Forgets a mark once, and counts it out (never below 0).
const CLEAR_CANCEL = `
if redis.call('DEL', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1`;

const BATCH_DONE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local total = tonumber(redis.call('HGET', KEYS[1], 'total'))
local vals = redis.call('HVALS', KEYS[2])
if #vals < total then return nil end
local ok = 0
for _, v in ipairs(vals) do if v == '1' then ok = ok + 1 end end
return {ok, #vals - ok}`;

export class RedisControl implements TaskControl {
  private readonly tag: string;
  /** The pause flag and the outstanding cancel count, read together at most every PAUSE_CACHE_MS. */
  private flags: { paused: boolean; cancels: number; at: number } | null = null;

  constructor(readonly address: string, private client: RedisClient) {
    const name = client.address.name;
    if (!name) throw new SpoolError(`a Redis spooler address must name its spool after '#' (redis://host:port/db#NAME): got "${address}"`);
    this.tag = `{mf:${name}}`;
  }

  private k(s: string): string { return `${this.tag}:${s}`; }
  /** One command (or script) once connected, waiting BOUND_MS at most; replies are loosely typed here. */
  private run(fn: (r: any) => any, what: string): Promise<any> {
    return this.client.run(BOUND_MS, async (r) => await fn(r), what);
  }

  async putResult(id: TaskId, r: TaskResult, ttlMs: number): Promise<void> {
    await this.run((x) => x.set(this.k(`res:${id}`), Buffer.from(pack(r)), "PX", Math.max(1, ttlMs)), "a task result");
  }
  async getResult(id: TaskId): Promise<TaskResult | null> {
    const b = await this.run((x) => x.getBuffer(this.k(`res:${id}`)), "a task result");
    return b ? unpack<TaskResult>(b) : null;
  }

  async markCancelled(id: TaskId, ttlMs: number): Promise<void> {
    const ms = Math.max(1, ttlMs);
    await this.run((x) => x.multi().set(this.k(`cancel:${id}`), "1", "PX", ms).incr(this.k("ncancel")).pexpire(this.k("ncancel"), ms).exec(), "cancelTask");
    this.flags = null;
  }
  async isCancelled(id: TaskId): Promise<boolean> {
    // No mark outstanding (the usual case): no round trip per task.
    if ((await this.readFlags()).cancels <= 0) return false;
    return (await this.run((x) => x.exists(this.k(`cancel:${id}`)), "a cancel mark")) === 1;
  }
  async clearCancelled(id: TaskId): Promise<void> {
    await this.run((x) => x.eval(CLEAR_CANCEL, 2, this.k(`cancel:${id}`), this.k("ncancel")), "a cancel mark");
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.run((x) => paused ? x.set(this.k("paused"), String(Date.now())) : x.del(this.k("paused")), "pause");
    this.flags = null;
  }
  async isPaused(): Promise<boolean> {
    return (await this.readFlags()).paused;
  }
  private async readFlags(): Promise<{ paused: boolean; cancels: number }> {
    const now = Date.now();
    if (this.flags && now - this.flags.at < PAUSE_CACHE_MS) return this.flags;
    const [p, n] = await this.run((x) => x.mget(this.k("paused"), this.k("ncancel")), "the pause flag");
    this.flags = { paused: p !== null, cancels: Number(n ?? 0), at: now };
    return this.flags;
  }

  async setProgress(id: TaskId, value: unknown, ttlMs: number): Promise<void> {
    await this.run((x) => x.set(this.k(`prog:${id}`), Buffer.from(pack({ value })), "PX", Math.max(1, ttlMs)), "progress");
  }
  async getProgress(id: TaskId): Promise<unknown | undefined> {
    const b = await this.run((x) => x.getBuffer(this.k(`prog:${id}`)), "progress");
    return b ? unpack<{ value: unknown }>(b).value : undefined;
  }

  async emit(e: SpoolEvent): Promise<void> {
    await this.run((x) => x.xadd(this.k("events"), "MAXLEN", "~", EVENTS_MAXLEN, "*", "e", Buffer.from(pack(e))), "an event");
  }

  async *events(signal?: AbortSignal, onReady?: () => void): AsyncIterable<SpoolEvent> {
    // A blocking read holds its connection: one of its own, closed when done.
    const b = await this.client.duplicate("blocking", `mf:spool-events:${process.pid}`);
    const stop = () => b.redis.disconnect();
    signal?.addEventListener("abort", stop, { once: true });
    try {
      // The stream's last id now, so that nothing added after onReady() is missed.
      let last = "0-0";
      try {
        const info: any = await b.run(BOUND_MS, (r: any) => r.xrevrange(this.k("events"), "+", "-", "COUNT", 1), "spoolEvents");
        if (info?.length) last = info[0][0];
      } catch { /* read from the start */ }
      onReady?.();
      while (!signal?.aborted) {
        let reply: any;
        try {
          reply = await b.run(BOUND_MS, (r: any) => r.xreadBuffer("BLOCK", 1000, "COUNT", 100, "STREAMS", this.k("events"), last), "spoolEvents");
        } catch {
          if (signal?.aborted) return;
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        if (!reply) continue;
        for (const [, entries] of reply) {
          for (const [id, fields] of entries) {
            last = id.toString();
            for (let i = 0; i + 1 < fields.length; i += 2) {
              if (fields[i].toString() === "e") yield unpack<SpoolEvent>(fields[i + 1]);
            }
          }
        }
      }
    } finally {
      signal?.removeEventListener("abort", stop);
      await b.close().catch(() => {});
    }
  }

  async takeStart(n: number, windowMs: number): Promise<number> {
    const member = `${process.pid}:${randomHex(8)}`;
    return Number(await this.run((x) => x.eval(TAKE_START, 1, this.k("rate"), n, windowMs, member), "a start slot"));
  }

  async addGroup(g: string): Promise<void> {
    await this.run((x) => x.sadd(this.k("groups"), g), "a group");
  }
  async listGroups(): Promise<string[]> {
    return ((await this.run((x) => x.smembers(this.k("groups")), "the groups")) as string[]).sort();
  }
  async takeGroupSlot(g: string, cap: number, holder: string, leaseMs: number): Promise<boolean> {
    return Number(await this.run((x) => x.eval(TAKE_SLOT, 1, this.k(`gslot:${g}`), cap, leaseMs, holder), "a group slot")) === 1;
  }
  async renewGroupSlot(g: string, holder: string, leaseMs: number): Promise<void> {
    await this.run((x) => x.eval(RENEW_SLOT, 1, this.k(`gslot:${g}`), leaseMs, holder), "a group slot");
  }
  async releaseGroupSlot(g: string, holder: string): Promise<void> {
    await this.run((x) => x.zrem(this.k(`gslot:${g}`), holder), "a group slot");
  }

  async batchOpen(b: BatchState): Promise<void> {
    await this.run((x) => x.hset(this.k(`batch:${b.id}`), "total", String(b.total), "cb", Buffer.from(pack(b.callback ?? null))), "a batch");
  }
  async batchDone(batchId: string, id: TaskId, ok: boolean): Promise<BatchState | null> {
    const r = await this.run((x) => x.eval(BATCH_DONE, 2, this.k(`batch:${batchId}`), this.k(`batchd:${batchId}`), id, ok ? "1" : "0"), "a batch count");
    if (!r) return null;
    const [total, cb] = await this.run((x) => x.hmgetBuffer(this.k(`batch:${batchId}`), "total", "cb"), "a batch");
    if (!total) return null;
    const callback = cb ? unpack<BatchState["callback"] | null>(cb) ?? undefined : undefined;
    return { id: batchId, total: Number(total.toString()), succeeded: Number(r[0]), failed: Number(r[1]), callback };
  }
  async batchClose(batchId: string): Promise<void> {
    await this.run((x) => x.del(this.k(`batch:${batchId}`), this.k(`batchd:${batchId}`)), "a batch");
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export async function openRedisControl(address: string): Promise<RedisControl> {
  const client = await openRedis(parseRedisUrl(address, "--spooler"), { name: `mf:spool-ctl:${process.pid}` });
  return new RedisControl(address, client);
}
