// What a cache is configured and opened with, and the limits a configuration
// must stay within. The layout, the checks and the opener all read these; this
// file imports none of them.

export const DEFAULT_BLOCKSIZE = 65536;
export const DEFAULT_KEYSIZE = 2048;
export const MAX_KEYSIZE = 65534;
export const MAX_ITEMS = 10_000_000;
export const MAX_BLOCKSIZE = 256 * 1024 * 1024;
export const MAX_DATA_BYTES = 2 ** 40;

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
