export interface CacheConfig {
    name: string;
    /** Maximum number of keys (exactly; uWSGI holds items-1). */
    items: number;
    /** Maximum value size in bytes (default 65536, as uWSGI). */
    blocksize?: number;
    /** Maximum key size in bytes (default 2048, as uWSGI; at most 65534). */
    keysize?: number;
    /** Default expiry in seconds for sets that give none (0 = never). */
    expires?: number;
    /** When full, evict the least-recently used item instead of refusing. */
    purgeLru?: boolean;
}
export interface CacheStats {
    name: string;
    /** Keys stored now (expired ones not yet swept included). */
    items: number;
    max_items: number;
    blocksize: number;
    keysize: number;
    hits: number;
    miss: number;
    /** Inserts refused because the cache was full. */
    full: number;
    /** Items evicted by purgeLru. */
    evicted: number;
}
export interface CacheOpenOptions {
    /** Unlink an existing file first (the master at start-up). */
    fresh?: boolean;
    /** Called (from a microtask) when the cache lock was taken over from a dead process: log it. */
    onRecovered?: (cacheName: string, deadPid: number) => void;
    /** Give up waiting for the cache lock after this long (default 10 s), with a CacheError. */
    lockTimeoutMs?: number;
    /** Data segment size (tests use small ones to cross segment boundaries). */
    segmentBytes?: number;
}
export declare const DEFAULT_BLOCKSIZE = 65536;
export declare const DEFAULT_KEYSIZE = 2048;
export declare const MAX_KEYSIZE = 65534;
export declare const MAX_ITEMS = 10000000;
export declare const MAX_BLOCKSIZE: number;
/** Keys up to this many bytes live in their item record. */
export declare const INLINE_KEY = 64;
/** Where everything lives in the cache file for a configuration (see the file comment). */
export declare function cacheLayout(cfg: CacheConfig): {
    items: number;
    blocksize: number;
    keysize: number;
    tableSize: number;
    recOff: number;
    meta: number;
    vstride: number;
    kstride: number;
    values: number;
    longKeys: number;
    total: number;
};
/** An area of fixed-size blocks split over mapped segments. */
declare class Blocks {
    readonly segs: Uint8Array[];
    readonly stride: number;
    readonly per: number;
    constructor(segs: Uint8Array[], stride: number, count: number);
}
export declare class Cache {
    readonly name: string;
    readonly items: number;
    readonly blocksize: number;
    readonly keysize: number;
    readonly defaultExpires: number;
    readonly purgeLru: boolean;
    /** True when this process created (initialised) the shared region. */
    readonly created: boolean;
    private readonly h;
    private readonly hu;
    private readonly hf;
    private readonly lanes;
    private readonly lane;
    private readonly t;
    private readonly mask;
    private readonly m8;
    private readonly recBase;
    private readonly r;
    private readonly rf;
    private readonly vsegs;
    private readonly vdvs;
    private readonly vper;
    private readonly vstride;
    private readonly ksegs;
    private readonly kper;
    private readonly kstride;
    private readonly kb;
    private vb;
    private readonly onRecovered?;
    private readonly lockTimeoutMs;
    /** Use `openCache`; this wires already-mapped regions. */
    constructor(cfg: CacheConfig, meta: Uint8Array, values: Blocks, longKeys: Blocks, opts?: CacheOpenOptions & {
        path?: string;
    });
    /** Segment and offset of slot's value: returns the offset, segment in this.vs. */
    private vs;
    private voff;
    /** The bytes holding slot's key (klen bytes): inline in the record, or the long-key area. */
    private ksrc;
    private koff;
    /** Writes the key's bytes into the scratch buffer; returns its length. */
    private encKey;
    /** Returns the value's bytes (scratch for strings), checked against blocksize. */
    private encVal;
    private tooLarge;
    private expiresAt;
    private keyText;
    /** Takes the writer lock; repairs the structure if a writer died mid-change. */
    private lockOnly;
    private unlockOnly;
    private begin;
    private end;
    /** A reader saw SEQ odd: spin, then sleep, and take over from a dead writer. */
    private readerWait;
    /** Table position of the key in the scratch buffer, or -1. */
    private find;
    private tableInsert;
    /** Backward-shift deletion at position p (linear probing, no tombstones). */
    private tableDelete;
    private posOfSlot;
    private expired;
    private lruUnlink;
    private lruPushHead;
    private lruTouch;
    private alloc;
    /** Removes the item in `slot` (table position `p`, or -1 to look it up). */
    private remove;
    /** Drops every expired item and recomputes the next expiry. */
    private sweep;
    private writeItem;
    /** After a writer died mid-change: drop its item and rebuild index, free list and LRU from the records. */
    private rebuild;
    /** The value of `key` (a copy), or null when missing or expired. */
    get(key: string | Uint8Array): Uint8Array | null;
    private getLocked;
    /** The value decoded as UTF-8, or null. */
    getString(key: string | Uint8Array): string | null;
    /** The value as a 64-bit integer (what inc/dec store); 0 when missing or not 8 bytes. */
    num(key: string | Uint8Array): number;
    /** True when `key` is present and not expired. */
    exists(key: string | Uint8Array): boolean;
    /**
     * Stores `value` only if `key` is absent or expired (uWSGI cache_set):
     * false when the key exists (value kept) or the cache is full.
     * `expires` in seconds, 0 = never, omitted = the cache's default.
     */
    set(key: string | Uint8Array, value: string | Uint8Array, expires?: number): boolean;
    /** Stores `value` whether or not `key` exists (uWSGI cache_update); false only when full. */
    update(key: string | Uint8Array, value: string | Uint8Array, expires?: number): boolean;
    private store;
    /** Removes `key`; true when it was present and not expired. */
    del(key: string | Uint8Array): boolean;
    /** Removes every item. */
    clear(): void;
    /**
     * Adds `by` to the 64-bit integer stored at `key` (8 bytes, little-endian)
     * and returns the new value; a missing or expired key starts at 0 (with
     * `expires`); an existing key keeps its expiry. CacheError if the stored
     * value is not 8 bytes, or if the key is new and the cache is full.
     * Results beyond ±2^53 lose precision as numbers; the stored int64 wraps
     * like uWSGI's.
     */
    inc(key: string | Uint8Array, by?: number | bigint, expires?: number): number;
    /** Subtracts `by` (see `inc`). */
    dec(key: string | Uint8Array, by?: number | bigint, expires?: number): number;
    /** Keys present and not expired (UTF-8 decoded). */
    keys(): string[];
    /** Stats as uWSGI's stats server shows a cache (hits and misses summed over all processes). */
    stats(): CacheStats;
    /** Milliseconds since epoch of the last change (0 = never). */
    lastModified(): number;
    /** Pid holding the cache's writer lock, 0 when free (for the stats `locks` view). */
    lockHolder(): number;
    /** Frees the writer lock if `pid` (a reaped child) held it, repairing what it was writing. */
    releaseIfHeldBy(pid: number): boolean;
}
/**
 * Maps (creating or attaching) the cache file at `path` and returns the cache.
 * Every process opening the same path with the same configuration shares it;
 * a different configuration is a CacheError naming both.
 */
export declare function openCache(path: string, cfg: CacheConfig, opts?: CacheOpenOptions): Cache;
/**
 * Parses `--cache2 "name=NAME,items=N[,blocksize=B][,expires=S][,keysize=K][,purge_lru=1]"`.
 * UsageError (naming the key and value) for a missing name/items, a bad
 * number or an unknown key.
 */
export declare function parseCache2(spec: string): CacheConfig;
/** Makes `cache` reachable by name from the cache* functions (the first one is the default). */
export declare function registerCache(cache: Cache): void;
/** Forgets every registered cache (tests, reload). */
export declare function unregisterCaches(): void;
/** The cache named `name`, or the first configured one; CacheError when unknown. */
export declare function getCache(name?: string): Cache;
export type CacheKey = string | Uint8Array;
export type CacheValue = string | Uint8Array;
export declare const cacheGet: (key: CacheKey, cacheName?: string) => Uint8Array<ArrayBufferLike> | null;
export declare const cacheGetString: (key: CacheKey, cacheName?: string) => string | null;
export declare const cacheNum: (key: CacheKey, cacheName?: string) => number;
export declare const cacheExists: (key: CacheKey, cacheName?: string) => boolean;
export declare const cacheSet: (key: CacheKey, value: CacheValue, expires?: number, cacheName?: string) => boolean;
export declare const cacheUpdate: (key: CacheKey, value: CacheValue, expires?: number, cacheName?: string) => boolean;
export declare const cacheDel: (key: CacheKey, cacheName?: string) => boolean;
export declare const cacheClear: (cacheName?: string) => void;
export declare const cacheInc: (key: CacheKey, by?: number | bigint, expires?: number, cacheName?: string) => number;
export declare const cacheDec: (key: CacheKey, by?: number | bigint, expires?: number, cacheName?: string) => number;
export declare const cacheKeys: (cacheName?: string) => string[];
export declare const cacheStats: () => CacheStats[];
export {};
