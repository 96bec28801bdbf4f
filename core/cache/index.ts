// uWSGI's cache (`--cache2 name=NAME,items=N[,blocksize=B][,expires=S]`) on a
// shared memory-mapped file: every process that opens the same path sees the
// same cache, and gets never leave the process (no IPC).
//
// The pieces:
//   layout.ts  the file's layout (documented there), cacheLayout, the key hash
//   spec.ts    CacheConfig, its checks and the --cache2 parser
//   blocks.ts  the value and long-key areas, split over mapped segments
//   table.ts   CacheTable: records, hash index, free list, LRU, lock and seqlock
//   cache.ts   Cache: get/set/update/del/inc/dec/keys/stats over the table
//   open.ts    openCache: maps a file and returns its Cache
//   named.ts   the named-cache registry and uWSGI's positional cache* functions

export { Cache, type CacheStats } from "./cache.ts";
export { cacheLayout, INLINE_KEY } from "./layout.ts";
export { type CacheConfig, type CacheOpenOptions, DEFAULT_BLOCKSIZE, DEFAULT_KEYSIZE, MAX_BLOCKSIZE, MAX_ITEMS, MAX_KEYSIZE } from "./config.ts";
export {
  cacheClear, cacheDec, cacheDel, cacheExists, cacheGet, cacheGetString, cacheInc, type CacheKey, cacheKeys, cacheNum, cacheSet,
  cacheStats, cacheUpdate, type CacheValue, getCache, registerCache, unregisterCaches,
} from "./named.ts";
export { openCache } from "./open.ts";
export { parseCache2 } from "./spec.ts";
