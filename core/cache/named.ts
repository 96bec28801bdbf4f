// The named-cache registry (--cache2 caches by name, the first one the default)
// and uWSGI's positional functions over it: cacheGet(key, cacheName), ...
// A cache with store=redis://… (core/cache/redis.ts) is registered here too:
// on it every function returns a Promise of what the local one returns (the
// declared types are the local cache's; `await` gives the same value on both).

import { CacheError } from "../errors.ts";
import type { Cache, CacheStats } from "./cache.ts";

const registry = new Map<string, Cache>();
let firstCache: Cache | null = null;

/** Makes `cache` reachable by name from the cache* functions (the first one is the default). */
export function registerCache(cache: Cache): void {
  registry.set(cache.name, cache);
  firstCache ??= cache;
}

/** Forgets every registered cache (tests, reload). */
export function unregisterCaches(): void {
  registry.clear();
  firstCache = null;
}

/** The cache named `name`, or the first configured one; CacheError when unknown. */
export function getCache(name?: string): Cache {
  if (name === undefined || name === null) {
    if (firstCache) return firstCache;
    throw new CacheError(`no cache is configured: add --cache2 name=NAME,items=N`);
  }
  const c = registry.get(name);
  if (c) return c;
  throw new CacheError(`unknown cache "${name}": configured caches are ${[...registry.keys()].join(", ") || "none"}`);
}

export type CacheKey = string | Uint8Array;
export type CacheValue = string | Uint8Array;

export const cacheGet = (key: CacheKey, cacheName?: string) => getCache(cacheName).get(key);
export const cacheGetString = (key: CacheKey, cacheName?: string) => getCache(cacheName).getString(key);
export const cacheNum = (key: CacheKey, cacheName?: string) => getCache(cacheName).num(key);
export const cacheExists = (key: CacheKey, cacheName?: string) => getCache(cacheName).exists(key);
export const cacheSet = (key: CacheKey, value: CacheValue, expires?: number, cacheName?: string) => getCache(cacheName).set(key, value, expires);
export const cacheUpdate = (key: CacheKey, value: CacheValue, expires?: number, cacheName?: string) => getCache(cacheName).update(key, value, expires);
export const cacheDel = (key: CacheKey, cacheName?: string) => getCache(cacheName).del(key);
export const cacheClear = (cacheName?: string) => getCache(cacheName).clear();
export const cacheInc = (key: CacheKey, by: number | bigint = 1, expires?: number, cacheName?: string) => getCache(cacheName).inc(key, by, expires);
export const cacheDec = (key: CacheKey, by: number | bigint = 1, expires?: number, cacheName?: string) => getCache(cacheName).dec(key, by, expires);
export const cacheKeys = (cacheName?: string) => getCache(cacheName).keys();
export const cacheStats = (): CacheStats[] => [...registry.values()].map((c) => c.stats());
