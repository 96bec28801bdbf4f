// What a cache is configured with: CacheConfig, its checks (CacheError) and
// the `--cache2 name=NAME,items=N,...` parser (UsageError).

import { CacheError, UsageError, refused } from "../errors.ts";
import { type CacheConfig, DEFAULT_BLOCKSIZE, DEFAULT_KEYSIZE, MAX_BLOCKSIZE, MAX_DATA_BYTES, MAX_ITEMS, MAX_KEYSIZE } from "./config.ts";
import { cacheLayout } from "./layout.ts";

/** Throws a CacheError naming the field and value when `cfg` is out of range. */
export function validateConfig(cfg: CacheConfig): void {
  const bad = (what: string, v: unknown) => new CacheError(refused(`cache ${what}`, v));
  if (typeof cfg.name !== "string" || cfg.name === "") throw bad("name must be a non-empty string", cfg.name);
  if (!Number.isInteger(cfg.items) || cfg.items < 1 || cfg.items > MAX_ITEMS) throw bad(`items must be an integer from 1 to ${MAX_ITEMS}`, cfg.items);
  const bs = cfg.blocksize ?? DEFAULT_BLOCKSIZE;
  if (!Number.isInteger(bs) || bs < 1 || bs > MAX_BLOCKSIZE) throw bad(`blocksize must be an integer from 1 to ${MAX_BLOCKSIZE}`, cfg.blocksize);
  const ks = cfg.keysize ?? DEFAULT_KEYSIZE;
  if (!Number.isInteger(ks) || ks < 1 || ks > MAX_KEYSIZE) throw bad(`keysize must be an integer from 1 to ${MAX_KEYSIZE}`, cfg.keysize);
  const ex = cfg.expires ?? 0;
  if (typeof ex !== "number" || !(ex >= 0) || !Number.isFinite(ex)) throw bad("expires must be a non-negative number of seconds", cfg.expires);
  const L = cacheLayout(cfg);
  if (L.values + L.longKeys > MAX_DATA_BYTES) throw new CacheError(`cache "${cfg.name}" is too large: items × (keysize + blocksize) = ${L.values + L.longKeys} bytes > ${MAX_DATA_BYTES}`);
}

const KNOWN = ["name", "items", "blocksize", "keysize", "expires", "purge_lru"];

/**
 * Parses `--cache2 "name=NAME,items=N[,blocksize=B][,expires=S][,keysize=K][,purge_lru=1]"`.
 * UsageError (naming the key and value) for a missing name/items, a bad
 * number or an unknown key.
 */
export function parseCache2(spec: string): CacheConfig {
  const kv = new Map<string, string>();
  for (const part of spec.split(",")) {
    const p = part.trim();
    if (p === "") continue;
    const eq = p.indexOf("=");
    if (eq <= 0) throw new UsageError(`--cache2 expects key=value pairs separated by commas: got "${p}" in "${spec}"`);
    const k = p.slice(0, eq).trim().toLowerCase().replace(/-/g, "_");
    if (!KNOWN.includes(k)) throw new UsageError(`--cache2 unknown key "${p.slice(0, eq)}": known keys are ${KNOWN.join(", ")}`);
    kv.set(k, p.slice(eq + 1).trim());
  }
  const name = kv.get("name");
  if (name === undefined || name === "") throw new UsageError(`--cache2 needs name=NAME: got "${spec}"`);
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new UsageError(`--cache2 name must be letters, digits, "_", "-" or ".": got "${name}"`);
  const itemsS = kv.get("items");
  if (itemsS === undefined) throw new UsageError(`--cache2 needs items=N: got "${spec}"`);
  const int = (key: string, s: string, min: number, max: number, rule: string): number => {
    if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) throw new UsageError(`--cache2 ${key} must be ${rule}: got "${s}"`);
    return Number(s);
  };
  const cfg: CacheConfig = { name, items: int("items", itemsS, 1, MAX_ITEMS, `a positive integer (at most ${MAX_ITEMS})`) };
  const bs = kv.get("blocksize");
  if (bs !== undefined) cfg.blocksize = int("blocksize", bs, 1, MAX_BLOCKSIZE, `a positive integer (at most ${MAX_BLOCKSIZE})`);
  const ks = kv.get("keysize");
  if (ks !== undefined) cfg.keysize = int("keysize", ks, 1, MAX_KEYSIZE, `an integer from 1 to ${MAX_KEYSIZE}`);
  const ex = kv.get("expires");
  if (ex !== undefined) cfg.expires = int("expires", ex, 0, Number.MAX_SAFE_INTEGER, "a non-negative integer (seconds)");
  const lru = kv.get("purge_lru");
  if (lru !== undefined) {
    if (!/^(0|1|true|false|yes|no)$/i.test(lru)) throw new UsageError(`--cache2 purge_lru must be 0 or 1: got "${lru}"`);
    cfg.purgeLru = /^(1|true|yes)$/i.test(lru);
  }
  const L = cacheLayout(cfg);
  const data = L.values + L.longKeys;
  if (data > MAX_DATA_BYTES) throw new UsageError(`--cache2 items × (keysize + blocksize) must be at most ${MAX_DATA_BYTES} bytes: got ${data} for "${spec}"`);
  return cfg;
}
