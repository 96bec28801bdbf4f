// A named cache as the application sees it (uWSGI's cache_get/set/update/del/
// inc/dec/keys and its stats): keys and values in, copies out, over CacheTable.
//
// Differences from uWSGI, on purpose:
// - items=N holds exactly N keys (uWSGI reserves slot 0 and holds N-1).
// - get/exists never return an expired item (uWSGI returns it until its sweeper
//   runs); a full cache first sweeps expired items, then refuses (full += 1),
//   or evicts the least-recently used item when created with purgeLru.
// - Failures are errors with a reason (value too large, key too long), not None.
// - `expires` omitted uses the cache's default (`expires=S` in --cache2, else
//   never); an explicit 0 means never.
// - purgeLru caches take the lock on get too (to move the item to the front),
//   so their gets are slower than a plain cache's.

import { CacheError, refused } from "../errors.ts";
import { poolSmallCopies } from "../adapter/shm.ts";
import {
  BUMP, COUNT, countAdd, countGet, EVICT_LO, F_LAST_MOD, F_NEXT_EXPIRY, FREE, FULL_LO, hashBytes, JOURNAL, LANE_WORDS, LANES,
  LRU_HEAD, LRU_TAIL, R_EXP_F64, R_KEYLEN, R_USED, R_VALLEN, REC_F64, REC_WORDS, SEQ,
} from "./layout.ts";
import { CacheTable } from "./table.ts";

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

const enc = new TextEncoder();
const dec = new TextDecoder();

// Copying a value out of the mapping. Under Deno every `new Uint8Array` costs
// ~0.5 µs (its typed arrays are never allocated on the V8 heap), so small
// values are copied into a 64 KiB pool and returned as views of it (as Node's
// Buffer pool does: `value.buffer` is shared with other values). Bun allocates
// small arrays in a few ns and gets a plain slice.
const POOLED = poolSmallCopies;
const POOL_BYTES = 65536, POOL_MAX = 4096;
let pool = new Uint8Array(0);
let poolOff = 0;
function copyOut(src: Uint8Array, o: number, n: number): Uint8Array {
  if (!POOLED || n > POOL_MAX) return src.slice(o, o + n);
  if (poolOff + n > pool.length) { pool = new Uint8Array(POOL_BYTES); poolOff = 0; }
  const out = pool.subarray(poolOff, poolOff + n);
  if (n <= 32) for (let i = 0; i < n; i++) out[i] = src[o + i];
  else out.set(src.subarray(o, o + n));
  poolOff = (poolOff + n + 7) & ~7;
  return out;
}

export class Cache extends CacheTable {
  private vb: Uint8Array | null = null; // scratch value (strings)

  // ---- argument encoding ----------------------------------------------------

  /** Writes the key's bytes into the scratch buffer; returns its length. */
  private encKey(key: string | Uint8Array): number {
    const kb = this.kb;
    if (typeof key === "string") {
      const n = key.length;
      if (n <= this.keysize) {
        let i = 0;
        for (; i < n; i++) {
          const c = key.charCodeAt(i);
          if (c > 127) break;
          kb[i] = c;
        }
        if (i === n) return n;
      }
      const res = enc.encodeInto(key, kb);
      if (res.read < n || res.written > this.keysize) {
        throw new CacheError(`key longer than the key size of cache "${this.name}": ${enc.encode(key).length} > ${this.keysize}`);
      }
      return res.written;
    }
    if (!(key instanceof Uint8Array)) throw new CacheError(refused("cache key must be a string or bytes", key));
    if (key.length > this.keysize) throw new CacheError(`key longer than the key size of cache "${this.name}": ${key.length} > ${this.keysize}`);
    kb.set(key);
    return key.length;
  }

  /** Returns the value's bytes (scratch for strings), checked against blocksize. */
  private encVal(value: string | Uint8Array): Uint8Array {
    if (typeof value === "string") {
      if (value.length > this.blocksize) this.tooLarge(enc.encode(value).length);
      const vb = (this.vb ??= new Uint8Array(this.blocksize + 4));
      const res = enc.encodeInto(value, vb);
      if (res.read < value.length) this.tooLarge(enc.encode(value).length);
      return vb.subarray(0, res.written);
    }
    if ((value as unknown) instanceof ArrayBuffer) value = new Uint8Array(value as unknown as ArrayBuffer);
    if (!(value instanceof Uint8Array)) throw new CacheError(refused("cache value must be a string or bytes", value));
    if (value.length > this.blocksize) this.tooLarge(value.length);
    return value;
  }

  private tooLarge(n: number): never {
    throw new CacheError(`value larger than the block size of cache "${this.name}": ${n} > ${this.blocksize}`);
  }

  private expiresAt(expires: number | undefined, now: number): number {
    const s = expires ?? this.defaultExpires;
    if (typeof s !== "number" || !(s >= 0) || !Number.isFinite(s)) {
      throw new CacheError(refused("expires must be a non-negative number of seconds", expires));
    }
    return s === 0 ? 0 : now + s * 1000;
  }

  private keyText(key: string | Uint8Array): string {
    return typeof key === "string" ? key : dec.decode(key);
  }

  // ---- public API -----------------------------------------------------------------

  /** The value of `key` (a copy), or null when missing or expired. */
  get(key: string | Uint8Array): Uint8Array | null {
    const klen = this.encKey(key);
    const hash = hashBytes(this.kb, 0, klen);
    if (this.purgeLru) return this.getLocked(hash, klen);
    const h = this.h;
    for (let attempt = 0; ; attempt++) {
      const s1 = Atomics.load(h, SEQ);
      if (s1 & 1) { this.readerWait(attempt); continue; }
      let out: Uint8Array | null = null;
      const p = this.find(hash, klen);
      if (p >= 0) {
        const slot = this.t[2 * p + 1] - 1;
        const e = this.rf[slot * REC_F64 + R_EXP_F64];
        if (e === 0 || e > Date.now()) {
          const vlen = this.r[slot * REC_WORDS + R_VALLEN];
          const o = this.voff(slot);
          const seg = this.vsegs[this.vs];
          if (vlen >= 0 && vlen <= this.blocksize && o + vlen <= seg.length) out = copyOut(seg, o, vlen);
        }
      }
      if (Atomics.load(h, SEQ) !== s1) continue;
      countAdd(this.lanes, this.lane + (out ? 0 : 2));
      return out;
    }
  }

  private getLocked(hash: number, klen: number): Uint8Array | null {
    this.lockOnly();
    let out: Uint8Array | null = null;
    try {
      const p = this.find(hash, klen);
      if (p >= 0) {
        const slot = this.t[2 * p + 1] - 1;
        if (!this.expired(slot, Date.now())) {
          const vlen = this.r[slot * REC_WORDS + R_VALLEN];
          const o = this.voff(slot);
          out = copyOut(this.vsegs[this.vs], o, vlen);
          this.lruTouch(slot);
        }
      }
    } finally {
      this.unlockOnly();
    }
    countAdd(this.lanes, this.lane + (out ? 0 : 2));
    return out;
  }

  /** The value decoded as UTF-8, or null. */
  getString(key: string | Uint8Array): string | null {
    const v = this.get(key);
    return v === null ? null : dec.decode(v);
  }

  /** The value as a 64-bit integer (what inc/dec store); 0 when missing or not 8 bytes. */
  num(key: string | Uint8Array): number {
    const v = this.get(key);
    if (!v || v.length !== 8) return 0;
    return Number(new DataView(v.buffer, v.byteOffset, 8).getBigInt64(0, true));
  }

  /** True when `key` is present and not expired. */
  exists(key: string | Uint8Array): boolean {
    const klen = this.encKey(key);
    const hash = hashBytes(this.kb, 0, klen);
    const h = this.h;
    for (let attempt = 0; ; attempt++) {
      const s1 = Atomics.load(h, SEQ);
      if (s1 & 1) { this.readerWait(attempt); continue; }
      const p = this.find(hash, klen);
      const ok = p >= 0 && !this.expired(this.t[2 * p + 1] - 1, Date.now());
      if (Atomics.load(h, SEQ) === s1) return ok;
    }
  }

  /**
   * Stores `value` only if `key` is absent or expired (uWSGI cache_set):
   * false when the key exists (value kept) or the cache is full.
   * `expires` in seconds, 0 = never, omitted = the cache's default.
   */
  set(key: string | Uint8Array, value: string | Uint8Array, expires?: number): boolean {
    return this.store(key, value, expires, false);
  }

  /** Stores `value` whether or not `key` exists (uWSGI cache_update); false only when full. */
  update(key: string | Uint8Array, value: string | Uint8Array, expires?: number): boolean {
    return this.store(key, value, expires, true);
  }

  private store(key: string | Uint8Array, value: string | Uint8Array, expires: number | undefined, overwrite: boolean): boolean {
    const klen = this.encKey(key);
    const hash = hashBytes(this.kb, 0, klen);
    const v = this.encVal(value);
    const now = Date.now();
    const exp = this.expiresAt(expires, now);
    this.begin();
    try {
      const p = this.find(hash, klen);
      if (p >= 0) {
        const slot = this.t[2 * p + 1] - 1;
        if (!overwrite && !this.expired(slot, now)) return false;
        Atomics.store(this.h, JOURNAL, slot + 1);
        this.writeItem(slot, klen, hash, v, exp, false);
      } else {
        const slot = this.alloc(now);
        if (slot < 0) {
          countAdd(this.hu, FULL_LO);
          return false;
        }
        Atomics.store(this.h, JOURNAL, slot + 1);
        this.writeItem(slot, klen, hash, v, exp, true);
      }
      this.hf[F_LAST_MOD] = now;
      return true;
    } finally {
      this.end();
    }
  }

  /** Removes `key`; true when it was present and not expired. */
  del(key: string | Uint8Array): boolean {
    const klen = this.encKey(key);
    const hash = hashBytes(this.kb, 0, klen);
    this.begin();
    try {
      const p = this.find(hash, klen);
      if (p < 0) return false;
      const slot = this.t[2 * p + 1] - 1;
      const now = Date.now();
      const live = !this.expired(slot, now);
      Atomics.store(this.h, JOURNAL, slot + 1);
      this.remove(slot, p);
      this.hf[F_LAST_MOD] = now;
      return live;
    } finally {
      this.end();
    }
  }

  /** Removes every item. */
  clear(): void {
    this.begin();
    try {
      const h = this.h;
      this.t.fill(0);
      h[COUNT] = 0; h[BUMP] = 0; h[FREE] = 0; h[LRU_HEAD] = 0; h[LRU_TAIL] = 0;
      this.hf[F_NEXT_EXPIRY] = 0;
      this.hf[F_LAST_MOD] = Date.now();
    } finally {
      this.end();
    }
  }

  /**
   * Adds `by` to the 64-bit integer stored at `key` (8 bytes, little-endian)
   * and returns the new value; a missing or expired key starts at 0 (with
   * `expires`); an existing key keeps its expiry. CacheError if the stored
   * value is not 8 bytes, or if the key is new and the cache is full.
   * Results beyond ±2^53 lose precision as numbers; the stored int64 wraps
   * like uWSGI's.
   */
  inc(key: string | Uint8Array, by: number | bigint = 1, expires?: number): number {
    const klen = this.encKey(key);
    const hash = hashBytes(this.kb, 0, klen);
    if (typeof by === "number" && !Number.isSafeInteger(by)) throw new CacheError(refused("cache increment must be an integer", by));
    const delta = BigInt(by);
    if (this.blocksize < 8) throw new CacheError(`cache "${this.name}" cannot hold counters: block size ${this.blocksize} < 8`);
    const now = Date.now();
    const exp = this.expiresAt(expires, now);
    this.begin();
    try {
      const p = this.find(hash, klen);
      const slot = p >= 0 ? this.t[2 * p + 1] - 1 : -1;
      let value: bigint;
      if (slot >= 0 && !this.expired(slot, now)) {
        const vlen = this.r[slot * REC_WORDS + R_VALLEN];
        if (vlen !== 8) {
          throw new CacheError(`cannot increment "${this.keyText(key)}" in cache "${this.name}": its value is ${vlen} bytes, not an 8-byte integer`);
        }
        const o = this.voff(slot);
        const dv = this.vdvs[this.vs];
        value = BigInt.asIntN(64, dv.getBigInt64(o, true) + delta);
        Atomics.store(this.h, JOURNAL, slot + 1);
        dv.setBigInt64(o, value, true);
        if (this.purgeLru) this.lruTouch(slot);
      } else {
        value = BigInt.asIntN(64, delta);
        const bytes = new Uint8Array(8);
        new DataView(bytes.buffer).setBigInt64(0, value, true);
        if (slot >= 0) {
          Atomics.store(this.h, JOURNAL, slot + 1);
          this.writeItem(slot, klen, hash, bytes, exp, false);
        } else {
          const fresh = this.alloc(now);
          if (fresh < 0) {
            countAdd(this.hu, FULL_LO);
            throw new CacheError(`cache "${this.name}" is full (${this.items} items): cannot create counter "${this.keyText(key)}"`);
          }
          Atomics.store(this.h, JOURNAL, fresh + 1);
          this.writeItem(fresh, klen, hash, bytes, exp, true);
        }
      }
      this.hf[F_LAST_MOD] = now;
      return Number(value);
    } finally {
      this.end();
    }
  }

  /** Subtracts `by` (see `inc`). */
  dec(key: string | Uint8Array, by: number | bigint = 1, expires?: number): number {
    if (typeof by === "number" && !Number.isSafeInteger(by)) throw new CacheError(refused("cache decrement must be an integer", by));
    return this.inc(key, -BigInt(by), expires);
  }

  /** Keys present and not expired (UTF-8 decoded). */
  keys(): string[] {
    const out: string[] = [];
    this.lockOnly();
    try {
      const r = this.r, now = Date.now(), bump = Math.min(this.h[BUMP], this.items);
      for (let s = 0; s < bump; s++) {
        if (!r[s * REC_WORDS + R_USED] || this.expired(s, now)) continue;
        const klen = r[s * REC_WORDS + R_KEYLEN];
        const o = this.koff(s, klen);
        out.push(dec.decode(this.ksrc.subarray(o, o + klen)));
      }
    } finally {
      this.unlockOnly();
    }
    return out;
  }

  /** Stats as uWSGI's stats server shows a cache (hits and misses summed over all processes). */
  stats(): CacheStats {
    let hits = 0, miss = 0;
    for (let l = 0; l < LANES; l++) {
      hits += countGet(this.lanes, l * LANE_WORDS);
      miss += countGet(this.lanes, l * LANE_WORDS + 2);
    }
    return {
      name: this.name,
      items: Atomics.load(this.h, COUNT),
      max_items: this.items,
      blocksize: this.blocksize,
      keysize: this.keysize,
      hits,
      miss,
      full: countGet(this.hu, FULL_LO),
      evicted: countGet(this.hu, EVICT_LO),
    };
  }

  /** Milliseconds since epoch of the last change (0 = never). */
  lastModified(): number {
    return this.hf[F_LAST_MOD];
  }
}
