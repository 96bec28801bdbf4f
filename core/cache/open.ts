// Opening a cache: maps (or creates) the cache file's header/index/records and
// its value and long-key areas, and wires them into a Cache.

import { ensureFileSize, mapSegments, mapShared, SEGMENT_BYTES } from "../shm/index.ts";
import { Blocks } from "./blocks.ts";
import { Cache } from "./cache.ts";
import { cacheLayout } from "./layout.ts";
import type { CacheConfig, CacheOpenOptions } from "./config.ts";
import { validateConfig } from "./spec.ts";

/**
 * Maps (creating or attaching) the cache file at `path` and returns the cache.
 * Every process opening the same path with the same configuration shares it;
 * a different configuration is a CacheError naming both.
 */
export function openCache(path: string, cfg: CacheConfig, opts: CacheOpenOptions = {}): Cache {
  validateConfig(cfg);
  const L = cacheLayout(cfg);
  const meta = mapShared(path, L.meta, { fresh: opts.fresh });
  ensureFileSize(path, L.total);
  const segBytes = opts.segmentBytes ?? SEGMENT_BYTES;
  const values = new Blocks(mapSegments(path, L.meta, L.values, L.vstride, segBytes), L.vstride, L.items);
  const longKeys = L.longKeys > 0
    ? new Blocks(mapSegments(path, L.meta + L.values, L.longKeys, L.kstride, segBytes), L.kstride, L.items)
    : new Blocks([new Uint8Array(0)], L.kstride, L.items);
  return new Cache(cfg, meta, values, longKeys, { ...opts, path });
}
