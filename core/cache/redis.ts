// A cache on Redis (`--cache2 name=NAME,items=N,store=redis://host:port/db`):
// the same functions as a shared-memory cache (cacheGet/Set/Update/Del/Exists/
// Inc/Dec/Keys/Clear, expiry, the items bound, hits/miss/full counters), seen
// by every instance on that Redis. Each call is one round trip (a Lua script,
// so the items bound and expiry are exact); each process opens its own
// connection on first use. Every function returns a Promise here: `await`
// works the same on a local cache, so code can move between the two.
//
// Keys: a hash of values, a sorted set of expiry times (the items bound counts
// it), a hash of counters, under one hash tag per cache (core/redis/keys.ts).
// Expiry uses Redis's clock (TIME), the same for every instance. Counters are
// stored as decimal text (HINCRBY, exact 64-bit), not uWSGI's 8 raw bytes.
import { CacheError } from "../errors.ts";
import { openRedis, type IORedis, type RedisClient } from "../redis/client.ts";
import { cacheIndex, cacheStatsKey, cacheValues } from "../redis/keys.ts";
import { parseRedisUrl, type RedisAddress } from "../redis/url.ts";
import type { CacheStats } from "./cache.ts";
import { type CacheConfig, DEFAULT_BLOCKSIZE, DEFAULT_KEYSIZE } from "./config.ts";

const NEVER = 9e15; // expiry score of items that never expire

// Common head: Redis's time in ms, and a sweep of (at most 64) expired items.
const HEAD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 64)
if #old > 0 then redis.call('ZREM', KEYS[2], unpack(old)) redis.call('HDEL', KEYS[1], unpack(old)) end
local function expiry(s) if tonumber(s) == 0 then return ${NEVER} end return now + tonumber(s) end
`;
const SCRIPTS = {
  mfCacheGet: `${HEAD}
local e = redis.call('ZSCORE', KEYS[2], ARGV[1])
if e then redis.call('HINCRBY', KEYS[3], 'hits', 1) return redis.call('HGET', KEYS[1], ARGV[1]) end
redis.call('HINCRBY', KEYS[3], 'miss', 1) return false`,
  mfCacheExists: `${HEAD}
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 1 end return 0`,
  // ARGV: key, value, expires ms (0 never), overwrite 0/1, items. 1 stored, 0 exists, -1 full.
  mfCacheStore: `${HEAD}
local e = redis.call('ZSCORE', KEYS[2], ARGV[1])
if e and ARGV[4] == '0' then return 0 end
if not e and redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then redis.call('HINCRBY', KEYS[3], 'full', 1) return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], expiry(ARGV[3]), ARGV[1])
return 1`,
  // ARGV: key, by (decimal), expires ms, items. The new value as text (64-bit exact).
  mfCacheInc: `${HEAD}
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2]) end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then redis.call('HINCRBY', KEYS[3], 'full', 1) return redis.error_reply('FULL') end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], expiry(ARGV[3]), ARGV[1])
return tonumber(ARGV[2])`,
  mfCacheDel: `${HEAD}
if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then redis.call('HDEL', KEYS[1], ARGV[1]) return 1 end return 0`,
  mfCacheKeys: `${HEAD}
return redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. now, '+inf')`,
  mfCacheStats: `${HEAD}
return {redis.call('ZCARD', KEYS[2]), redis.call('HGET', KEYS[3], 'hits') or 0, redis.call('HGET', KEYS[3], 'miss') or 0, redis.call('HGET', KEYS[3], 'full') or 0}`,
};
type Scripted = IORedis & Record<string, (...a: unknown[]) => Promise<any>>;

const enc = new TextEncoder();
const dec = new TextDecoder();

export class RedisCache {
  readonly name: string;
  readonly store: string;
  private readonly items: number;
  private readonly blocksize: number;
  private readonly keysize: number;
  private readonly defaultExpires: number;
  private readonly addr: RedisAddress;
  private readonly keys3: [string, string, string];
  private client: Promise<RedisClient> | null = null;
  private last: CacheStats;

  /** `boundMs`: how long a call waits for a lost connection before RedisUnavailable. */
  constructor(cfg: CacheConfig & { store: string }, private boundMs = 10_000) {
    this.name = cfg.name;
    this.store = cfg.store;
    this.addr = parseRedisUrl(cfg.store, "--cache2 store");
    this.items = cfg.items;
    this.blocksize = cfg.blocksize ?? DEFAULT_BLOCKSIZE;
    this.keysize = cfg.keysize ?? DEFAULT_KEYSIZE;
    this.defaultExpires = cfg.expires ?? 0;
    this.keys3 = [cacheValues(cfg.name), cacheIndex(cfg.name), cacheStatsKey(cfg.name)];
    // uWSGI's layout fields have no meaning in Redis: the hash is Redis's own, no index slots, no blocks.
    this.last = { name: cfg.name, hash: "redis", hashsize: 0, keysize: this.keysize, max_items: cfg.items, blocks: 0, blocksize: this.blocksize,
      items: 0, hits: 0, miss: 0, full: 0, last_modified_at: 0, evicted: 0 };
  }

  private conn(): Promise<RedisClient> {
    this.client ??= openRedis(this.addr, { name: `mf:cache:${this.name}:${process.pid}` }).then((c) => {
      for (const [name, lua] of Object.entries(SCRIPTS)) c.redis.defineCommand(name, { numberOfKeys: 3, lua });
      return c;
    });
    return this.client;
  }

  private async call<T>(what: string, fn: (r: Scripted) => Promise<T>): Promise<T> {
    const c = await this.conn();
    return c.run(this.boundMs, (r) => fn(r as Scripted), `cache "${this.name}" ${what}`);
  }

  private key(k: string | Uint8Array): Uint8Array | string {
    const n = typeof k === "string" ? enc.encode(k).length : k instanceof Uint8Array ? k.length : -1;
    if (n < 0) throw new CacheError(`cache key must be a string or bytes: got ${typeof k}`);
    if (n > this.keysize) throw new CacheError(`key longer than the key size of cache "${this.name}": ${n} > ${this.keysize}`);
    return k;
  }

  private value(v: string | Uint8Array): string | Uint8Array {
    const n = typeof v === "string" ? enc.encode(v).length : v instanceof Uint8Array ? v.length : -1;
    if (n < 0) throw new CacheError(`cache value must be a string or bytes: got ${typeof v}`);
    if (n > this.blocksize) throw new CacheError(`value larger than the block size of cache "${this.name}": ${n} > ${this.blocksize}`);
    return v;
  }

  private expiresMs(expires: number | undefined): number {
    const s = expires ?? this.defaultExpires;
    if (typeof s !== "number" || !(s >= 0) || !Number.isFinite(s)) throw new CacheError(`expires must be a non-negative number of seconds: got ${String(expires)}`);
    return Math.round(s * 1000);
  }

  async get(key: string | Uint8Array): Promise<Uint8Array | null> {
    const k = this.key(key);
    const b = await this.call("get", (r) => r.mfCacheGetBuffer(...this.keys3, k));
    return b ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : null;
  }
  async getString(key: string | Uint8Array): Promise<string | null> {
    const b = await this.get(key);
    return b ? dec.decode(b) : null;
  }
  /** A counter's value (0 when missing). */
  async num(key: string | Uint8Array): Promise<number> {
    const s = await this.getString(key);
    return s === null ? 0 : Number(s);
  }
  async exists(key: string | Uint8Array): Promise<boolean> {
    const k = this.key(key);
    return this.call("exists", (r) => r.mfCacheExists(...this.keys3, k)).then((n) => n === 1);
  }
  /** Stores only if absent or expired; false when present or the cache is full. */
  async set(key: string | Uint8Array, value: string | Uint8Array, expires?: number): Promise<boolean> {
    return this.storeIt(key, value, expires, false);
  }
  /** Stores whether or not present; false only when full. */
  async update(key: string | Uint8Array, value: string | Uint8Array, expires?: number): Promise<boolean> {
    return this.storeIt(key, value, expires, true);
  }
  private async storeIt(key: string | Uint8Array, value: string | Uint8Array, expires: number | undefined, overwrite: boolean): Promise<boolean> {
    const k = this.key(key), v = this.value(value), ms = this.expiresMs(expires);
    return this.call("set", (r) => r.mfCacheStore(...this.keys3, k, v, ms, overwrite ? 1 : 0, this.items)).then((n) => n === 1);
  }
  async del(key: string | Uint8Array): Promise<boolean> {
    const k = this.key(key);
    return this.call("del", (r) => r.mfCacheDel(...this.keys3, k)).then((n) => n === 1);
  }
  async clear(): Promise<void> {
    await this.call("clear", (r) => r.del(this.keys3[0], this.keys3[1]));
  }
  /** Adds `by` to the counter at `key` (missing: starts at 0, with `expires`); the new value. */
  async inc(key: string | Uint8Array, by: number | bigint = 1, expires?: number): Promise<number> {
    if (typeof by === "number" && !Number.isSafeInteger(by)) throw new CacheError(`cache increment must be an integer: got ${by}`);
    const k = this.key(key), ms = this.expiresMs(expires);
    try {
      return Number(await this.call("inc", (r) => r.mfCacheInc(...this.keys3, k, String(by), ms, this.items)));
    } catch (e: any) {
      const m = String(e?.message ?? "");
      if (m.includes("FULL")) throw new CacheError(`cache "${this.name}" is full (${this.items} items): cannot create counter "${String(key)}"`);
      if (m.includes("not an integer")) throw new CacheError(`cannot increment "${String(key)}" in cache "${this.name}": its value is not an integer`);
      throw e;
    }
  }
  async dec(key: string | Uint8Array, by: number | bigint = 1, expires?: number): Promise<number> {
    if (typeof by === "number" && !Number.isSafeInteger(by)) throw new CacheError(`cache decrement must be an integer: got ${by}`);
    return this.inc(key, -BigInt(by), expires);
  }
  async keys(): Promise<string[]> {
    return this.call("keys", (r) => r.mfCacheKeys(...this.keys3));
  }
  /** Reads the counters shared by every instance (and keeps them for stats()). */
  async refreshStats(): Promise<CacheStats> {
    const [items, hits, miss, full] = (await this.call("stats", (r) => r.mfCacheStats(...this.keys3))).map(Number);
    this.last = { ...this.last, items, hits, miss, full };
    return this.last;
  }
  /** The last counters read (refreshed in the background): synchronous, like a local cache's. */
  stats(): CacheStats & { store: string } {
    void this.refreshStats().catch(() => {});
    return { ...this.last, store: this.addr.url.replace(/:[^:@/]*@/, ":***@") };
  }
  async close(): Promise<void> {
    if (this.client) await (await this.client).close();
    this.client = null;
  }
}
