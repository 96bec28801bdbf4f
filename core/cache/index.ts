// uWSGI's cache (`--cache2 name=NAME,items=N[,blocksize=B][,expires=S]`) on a
// shared memory-mapped file: every process that opens the same path sees the
// same cache, and gets never leave the process (no IPC).
//
// Memory layout of the file (all integers native little-endian):
//
//   0      header, 4 KiB (Int32 words)
//            [0] magic "MFC1"  [1] init state (0 new, -pid initialising, 1 ready)
//            [2..8] version, items, blocksize, keysize, tableSize, flags, value stride
//            [16] (byte 64)  LOCK: writer lock word, owner pid (core/locks)
//            [32] (byte 128) SEQ: seqlock counter, odd while a writer changes anything
//            [48..] COUNT, BUMP (slots ever used), FREE (free-list head, slot+1),
//                   LRU_HEAD, LRU_TAIL (slot+1), JOURNAL (slot+1 being written),
//                   FULL lo/hi, EVICTED lo/hi
//            Float64 [32] (byte 256) NEXT_EXPIRY ms (lower bound), [33] LAST_MODIFIED ms
//   4 KiB  counter lanes: 64 × 64 bytes, Uint32 [hits lo, hits hi, miss lo, miss hi];
//          a process counts in lane pid % 64 (no cache-line ping-pong between readers)
//   8 KiB  hash index: tableSize (power of two ≥ 2 × items) × [Int32 hash, Int32 slot+1],
//          open addressing with linear probing and backward-shift deletion (no tombstones)
//   …      item records: items × 96 bytes: Int32 used, keylen, vallen, hash, lru prev,
//          lru/free next; Float64 expires (ms since epoch, 0 = never); then the key
//          itself when it is at most 64 bytes (most keys: no extra page to touch)
//   META   (64 KiB aligned) values: items × align8(blocksize), the value at the start
//          of its slot's block
//   …      long keys: items × align8(keysize), used only by keys longer than 64 bytes
//   Both big areas are mapped in ≤ 1 GiB segments (Bun maps at most 4 GiB at once).
//
// The file is sparse: only touched pages use memory, so items=100000 with the
// default 64 KiB blocks is a 6.8 GB file that costs about one 4 KiB page per
// stored item (like uWSGI, whose items also own a 64 KiB block each), and with
// blocksize=64 about 160 bytes per item. The creator touches the hash index at
// start-up (16 bytes per item) so the first sets do not fault on it.
//
// Concurrency: writers take the LOCK word (spin, then sleep; a dead holder is
// taken over) and bump SEQ to odd around every change. Readers take no lock:
// they read SEQ, look up and copy, and retry if SEQ moved (a seqlock), so gets
// run at memory speed from any number of processes. A writer killed mid-change
// leaves SEQ odd: whoever takes the lock next drops the item the writer was
// touching (JOURNAL) and rebuilds the index from the item records, so a crash
// never leaves a half-written value readable.
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

import { CacheError, UsageError } from "../errors.ts";
import { acquireWordSync, isProcessDead, myPid, sleepSync } from "../locks/index.ts";
import { alignUp, attachHeader, ensureFileSize, mapSegments, mapShared, SEGMENT_BYTES, shmRuntime } from "../shm/index.ts";

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

export const DEFAULT_BLOCKSIZE = 65536;
export const DEFAULT_KEYSIZE = 2048;
export const MAX_KEYSIZE = 65534;
export const MAX_ITEMS = 10_000_000;
export const MAX_BLOCKSIZE = 256 * 1024 * 1024;
const MAX_DATA_BYTES = 2 ** 40;

const MAGIC = 0x3143464d; // "MFC1"
const VERSION = 2;
const LOCK = 16, SEQ = 32;
const COUNT = 48, BUMP = 49, FREE = 50, LRU_HEAD = 51, LRU_TAIL = 52, JOURNAL = 53;
const FULL_LO = 54, EVICT_LO = 56;
const F_NEXT_EXPIRY = 32, F_LAST_MOD = 33;
const LANES_OFF = 4096, LANES = 64, LANE_WORDS = 16;
const TABLE_OFF = 8192;
const REC_BYTES = 96, REC_WORDS = 24, REC_F64 = 12;
const R_USED = 0, R_KEYLEN = 1, R_VALLEN = 2, R_HASH = 3, R_PREV = 4, R_NEXT = 5, R_EXP_F64 = 3;
const KEY_OFF = 32; // inline key inside a record
/** Keys up to this many bytes live in their item record. */
export const INLINE_KEY = 64;
const FLAG_LRU = 1;

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Where everything lives in the cache file for a configuration (see the file comment). */
export function cacheLayout(cfg: CacheConfig) {
  const items = cfg.items;
  const blocksize = cfg.blocksize ?? DEFAULT_BLOCKSIZE;
  const keysize = cfg.keysize ?? DEFAULT_KEYSIZE;
  let tableSize = 8;
  while (tableSize < items * 2) tableSize *= 2;
  const recOff = TABLE_OFF + tableSize * 8;
  const meta = alignUp(recOff + items * REC_BYTES, 65536);
  const vstride = alignUp(Math.max(blocksize, 8), 8);
  const kstride = alignUp(keysize, 8);
  const values = items * vstride;
  const longKeys = keysize > INLINE_KEY ? items * kstride : 0;
  return { items, blocksize, keysize, tableSize, recOff, meta, vstride, kstride, values, longKeys, total: meta + values + longKeys };
}

function fmix(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** FNV-1a over bytes, finalised with murmur3's fmix32. */
function hashBytes(b: Uint8Array, off: number, len: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ b[off + i], 0x01000193);
  return fmix(h);
}

function countAdd(u32: Uint32Array, i: number): void {
  if (Atomics.add(u32, i, 1) === 0xffffffff) Atomics.add(u32, i + 1, 1);
}
function countGet(u32: Uint32Array, i: number): number {
  return Atomics.load(u32, i + 1) * 2 ** 32 + Atomics.load(u32, i);
}

// Copying a value out of the mapping. Under Deno every `new Uint8Array` costs
// ~0.5 µs (its typed arrays are never allocated on the V8 heap), so small
// values are copied into a 64 KiB pool and returned as views of it (as Node's
// Buffer pool does: `value.buffer` is shared with other values). Bun allocates
// small arrays in a few ns and gets a plain slice.
const POOLED = shmRuntime === "deno";
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

/** An area of fixed-size blocks split over mapped segments. */
class Blocks {
  readonly per: number; // blocks per segment
  constructor(readonly segs: Uint8Array[], readonly stride: number, count: number) {
    this.per = segs.length > 1 ? segs[0].byteLength / stride : Math.max(count, 1);
  }
}

export class Cache {
  readonly name: string;
  readonly items: number;
  readonly blocksize: number;
  readonly keysize: number;
  readonly defaultExpires: number;
  readonly purgeLru: boolean;
  /** True when this process created (initialised) the shared region. */
  readonly created: boolean;

  private readonly h: Int32Array; // header words
  private readonly hu: Uint32Array; // header words, unsigned (counters)
  private readonly hf: Float64Array; // header doubles
  private readonly lanes: Uint32Array;
  private readonly lane: number;
  private readonly t: Int32Array; // hash index
  private readonly mask: number;
  private readonly m8: Uint8Array; // whole meta region (inline keys)
  private readonly recBase: number; // byte offset of record 0 in m8
  private readonly r: Int32Array; // records
  private readonly rf: Float64Array;
  private readonly vsegs: Uint8Array[];
  private readonly vdvs: DataView[];
  private readonly vper: number;
  private readonly vstride: number;
  private readonly ksegs: Uint8Array[];
  private readonly kper: number;
  private readonly kstride: number;
  private readonly kb: Uint8Array; // scratch key
  private vb: Uint8Array | null = null; // scratch value (strings)
  private readonly onRecovered?: (name: string, deadPid: number) => void;
  private readonly lockTimeoutMs: number;

  /** Use `openCache`; this wires already-mapped regions. */
  constructor(cfg: CacheConfig, meta: Uint8Array, values: Blocks, longKeys: Blocks, opts: CacheOpenOptions & { path?: string } = {}) {
    validateConfig(cfg);
    const L = cacheLayout(cfg);
    this.name = cfg.name;
    this.items = L.items;
    this.blocksize = L.blocksize;
    this.keysize = L.keysize;
    this.defaultExpires = cfg.expires ?? 0;
    this.purgeLru = !!cfg.purgeLru;
    const buf = meta.buffer, base = meta.byteOffset;
    this.h = new Int32Array(buf, base, 1024);
    this.hu = new Uint32Array(buf, base, 1024);
    this.hf = new Float64Array(buf, base, 512);
    this.lanes = new Uint32Array(buf, base + LANES_OFF, LANES * LANE_WORDS);
    this.lane = (myPid % LANES) * LANE_WORDS;
    this.t = new Int32Array(buf, base + TABLE_OFF, L.tableSize * 2);
    this.mask = L.tableSize - 1;
    this.m8 = meta;
    this.recBase = L.recOff;
    this.r = new Int32Array(buf, base + L.recOff, L.items * REC_WORDS);
    this.rf = new Float64Array(buf, base + L.recOff, L.items * REC_F64);
    this.vsegs = values.segs;
    this.vdvs = values.segs.map((s) => new DataView(s.buffer, s.byteOffset, s.byteLength));
    this.vper = values.per;
    this.vstride = values.stride;
    this.ksegs = longKeys.segs;
    this.kper = longKeys.per;
    this.kstride = longKeys.stride;
    this.kb = new Uint8Array(L.keysize + 8);
    this.onRecovered = opts.onRecovered;
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 10_000;
    const params = [VERSION, L.items, L.blocksize, L.keysize, L.tableSize, this.purgeLru ? FLAG_LRU : 0, L.vstride];
    // init: touch the hash index now (it is hit at random by every lookup)
    this.created = attachHeader(this.h, MAGIC, params, () => this.t.fill(0), (stored) => {
      const where = opts.path ? ` in ${opts.path}` : "";
      if (stored.length === 0) return new CacheError(`cache "${this.name}"${where} is still being initialised by another process after 5 s`);
      const s = `items=${stored[1]},blocksize=${stored[2]},keysize=${stored[3]},purge_lru=${stored[5] & FLAG_LRU}`;
      const w = `items=${params[1]},blocksize=${params[2]},keysize=${params[3]},purge_lru=${params[5]}`;
      return new CacheError(`cache "${this.name}"${where} was created with ${s}; this process asked for ${w}`);
    });
  }

  // ---- addressing ---------------------------------------------------------

  /** Segment and offset of slot's value: returns the offset, segment in this.vs. */
  private vs = 0;
  private voff(slot: number): number {
    const sg = this.vper >= this.items ? 0 : Math.floor(slot / this.vper);
    this.vs = sg;
    return (slot - sg * this.vper) * this.vstride;
  }

  /** The bytes holding slot's key (klen bytes): inline in the record, or the long-key area. */
  private ksrc: Uint8Array = new Uint8Array(0);
  private koff(slot: number, klen: number): number {
    if (klen <= INLINE_KEY) {
      this.ksrc = this.m8;
      return this.recBase + slot * REC_BYTES + KEY_OFF;
    }
    const sg = this.kper >= this.items ? 0 : Math.floor(slot / this.kper);
    this.ksrc = this.ksegs[sg];
    return (slot - sg * this.kper) * this.kstride;
  }

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
    if (!(key instanceof Uint8Array)) throw new CacheError(`cache key must be a string or bytes: got ${typeof key}`);
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
    if (!(value instanceof Uint8Array)) throw new CacheError(`cache value must be a string or bytes: got ${typeof value}`);
    if (value.length > this.blocksize) this.tooLarge(value.length);
    return value;
  }

  private tooLarge(n: number): never {
    throw new CacheError(`value larger than the block size of cache "${this.name}": ${n} > ${this.blocksize}`);
  }

  private expiresAt(expires: number | undefined, now: number): number {
    const s = expires ?? this.defaultExpires;
    if (typeof s !== "number" || !(s >= 0) || !Number.isFinite(s)) {
      throw new CacheError(`expires must be a non-negative number of seconds: got ${String(expires)}`);
    }
    return s === 0 ? 0 : now + s * 1000;
  }

  private keyText(key: string | Uint8Array): string {
    return typeof key === "string" ? key : dec.decode(key);
  }

  // ---- locking ----------------------------------------------------------------

  /** Takes the writer lock; repairs the structure if a writer died mid-change. */
  private lockOnly(): void {
    const got = acquireWordSync(this.h, LOCK, myPid, this.lockTimeoutMs);
    if (got < 0) {
      throw new CacheError(`timed out after ${this.lockTimeoutMs} ms waiting for the lock of cache "${this.name}": held by pid ${Atomics.load(this.h, LOCK)}`);
    }
    // reported after the current operation (a callback that used this cache here would wait for itself)
    if (got > 0 && this.onRecovered) queueMicrotask(() => this.onRecovered!(this.name, got));
    if (Atomics.load(this.h, SEQ) & 1) {
      this.rebuild();
      Atomics.add(this.h, SEQ, 1);
    }
  }
  private unlockOnly(): void {
    Atomics.compareExchange(this.h, LOCK, myPid, 0);
  }
  private begin(): void {
    this.lockOnly();
    Atomics.add(this.h, SEQ, 1);
  }
  private end(): void {
    Atomics.store(this.h, JOURNAL, 0);
    Atomics.add(this.h, SEQ, 1);
    this.unlockOnly();
  }

  /** A reader saw SEQ odd: spin, then sleep, and take over from a dead writer. */
  private readerWait(attempt: number): void {
    if (attempt < 2000) return;
    const holder = Atomics.load(this.h, LOCK);
    if (holder === 0 || (holder !== myPid && isProcessDead(holder, attempt % 64 === 0))) {
      this.lockOnly();
      this.unlockOnly();
      return;
    }
    sleepSync(0.05);
  }

  // ---- index ------------------------------------------------------------------

  /** Table position of the key in the scratch buffer, or -1. */
  private find(hash: number, klen: number): number {
    const t = this.t, r = this.r, kb = this.kb, mask = this.mask, items = this.items;
    let p = hash & mask;
    for (let n = 0; n <= mask; n++) {
      const s = t[2 * p + 1];
      if (s === 0) return -1;
      if (t[2 * p] === hash) {
        const slot = s - 1;
        if (slot < items && r[slot * REC_WORDS + R_KEYLEN] === klen) {
          const o = this.koff(slot, klen);
          const src = this.ksrc;
          let i = 0;
          while (i < klen && src[o + i] === kb[i]) i++;
          if (i === klen) return p;
        }
      }
      p = (p + 1) & mask;
    }
    return -1;
  }

  private tableInsert(hash: number, slot: number): void {
    const t = this.t, mask = this.mask;
    let p = hash & mask;
    while (t[2 * p + 1] !== 0) p = (p + 1) & mask;
    t[2 * p] = hash;
    t[2 * p + 1] = slot + 1;
  }

  /** Backward-shift deletion at position p (linear probing, no tombstones). */
  private tableDelete(p: number): void {
    const t = this.t, mask = this.mask;
    let i = p, j = p;
    for (;;) {
      j = (j + 1) & mask;
      if (t[2 * j + 1] === 0) break;
      const k = t[2 * j] & mask;
      // t[j] stays if its home k lies cyclically in (i, j]
      const keep = i <= j ? i < k && k <= j : i < k || k <= j;
      if (!keep) {
        t[2 * i] = t[2 * j];
        t[2 * i + 1] = t[2 * j + 1];
        i = j;
      }
    }
    t[2 * i] = 0;
    t[2 * i + 1] = 0;
  }

  private posOfSlot(slot: number): number {
    const t = this.t, mask = this.mask;
    let p = this.r[slot * REC_WORDS + R_HASH] & mask;
    for (let n = 0; n <= mask; n++) {
      const s = t[2 * p + 1];
      if (s === slot + 1) return p;
      if (s === 0) return -1;
      p = (p + 1) & mask;
    }
    return -1;
  }

  private expired(slot: number, now: number): boolean {
    const e = this.rf[slot * REC_F64 + R_EXP_F64];
    return e !== 0 && e <= now;
  }

  // ---- LRU list (purgeLru caches only; writer lock held) --------------------------

  private lruUnlink(slot: number): void {
    const r = this.r, h = this.h, b = slot * REC_WORDS;
    const prev = r[b + R_PREV], next = r[b + R_NEXT];
    if (prev) r[(prev - 1) * REC_WORDS + R_NEXT] = next; else h[LRU_HEAD] = next;
    if (next) r[(next - 1) * REC_WORDS + R_PREV] = prev; else h[LRU_TAIL] = prev;
    r[b + R_PREV] = 0;
    r[b + R_NEXT] = 0;
  }
  private lruPushHead(slot: number): void {
    const r = this.r, h = this.h, b = slot * REC_WORDS;
    const head = h[LRU_HEAD];
    r[b + R_PREV] = 0;
    r[b + R_NEXT] = head;
    if (head) r[(head - 1) * REC_WORDS + R_PREV] = slot + 1; else h[LRU_TAIL] = slot + 1;
    h[LRU_HEAD] = slot + 1;
  }
  private lruTouch(slot: number): void {
    if (this.h[LRU_HEAD] === slot + 1) return;
    this.lruUnlink(slot);
    this.lruPushHead(slot);
  }

  // ---- slots (writer lock held) -----------------------------------------------------

  private alloc(now: number): number {
    const h = this.h, r = this.r;
    for (let pass = 0; pass < 2; pass++) {
      const f = h[FREE];
      if (f) {
        h[FREE] = r[(f - 1) * REC_WORDS + R_NEXT];
        return f - 1;
      }
      if (h[BUMP] < this.items) return h[BUMP]++;
      if (pass === 0) {
        const next = this.hf[F_NEXT_EXPIRY];
        if (next !== 0 && next <= now) this.sweep(now);
        if (h[FREE] === 0 && this.purgeLru && h[LRU_TAIL]) {
          this.remove(h[LRU_TAIL] - 1, -1);
          countAdd(this.hu, EVICT_LO);
        }
      }
    }
    return -1;
  }

  /** Removes the item in `slot` (table position `p`, or -1 to look it up). */
  private remove(slot: number, p: number): void {
    if (p < 0) p = this.posOfSlot(slot);
    if (p >= 0) this.tableDelete(p);
    const r = this.r, b = slot * REC_WORDS;
    if (this.purgeLru) this.lruUnlink(slot);
    r[b + R_USED] = 0;
    r[b + R_NEXT] = this.h[FREE];
    this.h[FREE] = slot + 1;
    this.h[COUNT]--;
  }

  /** Drops every expired item and recomputes the next expiry. */
  private sweep(now: number): number {
    const r = this.r, bump = Math.min(this.h[BUMP], this.items);
    let next = 0, dropped = 0;
    for (let s = 0; s < bump; s++) {
      if (!r[s * REC_WORDS + R_USED]) continue;
      const e = this.rf[s * REC_F64 + R_EXP_F64];
      if (e === 0) continue;
      if (e <= now) { this.remove(s, -1); dropped++; }
      else if (next === 0 || e < next) next = e;
    }
    this.hf[F_NEXT_EXPIRY] = next;
    return dropped;
  }

  private writeItem(slot: number, klen: number, hash: number, v: Uint8Array, exp: number, newKey: boolean): void {
    if (newKey) {
      const o = this.koff(slot, klen);
      const dst = this.ksrc, kb = this.kb;
      if (klen <= INLINE_KEY) for (let i = 0; i < klen; i++) dst[o + i] = kb[i];
      else dst.set(kb.subarray(0, klen), o);
    }
    const vo = this.voff(slot);
    const vseg = this.vsegs[this.vs];
    const n = v.length;
    if (n <= 32) for (let i = 0; i < n; i++) vseg[vo + i] = v[i];
    else vseg.set(v, vo);
    const b = slot * REC_WORDS;
    this.r[b + R_KEYLEN] = klen;
    this.r[b + R_VALLEN] = n;
    this.r[b + R_HASH] = hash;
    this.rf[slot * REC_F64 + R_EXP_F64] = exp;
    if (exp !== 0) {
      const next = this.hf[F_NEXT_EXPIRY];
      if (next === 0 || exp < next) this.hf[F_NEXT_EXPIRY] = exp;
    }
    if (newKey) {
      this.r[b + R_USED] = 1;
      this.tableInsert(hash, slot);
      this.h[COUNT]++;
      if (this.purgeLru) this.lruPushHead(slot);
    } else if (this.purgeLru) this.lruTouch(slot);
  }

  /** After a writer died mid-change: drop its item and rebuild index, free list and LRU from the records. */
  private rebuild(): void {
    const h = this.h, r = this.r;
    const j = h[JOURNAL];
    if (j > 0 && j <= this.items) r[(j - 1) * REC_WORDS + R_USED] = 0;
    h[JOURNAL] = 0;
    this.t.fill(0);
    h[COUNT] = 0; h[FREE] = 0; h[LRU_HEAD] = 0; h[LRU_TAIL] = 0;
    const bump = Math.max(0, Math.min(h[BUMP], this.items));
    h[BUMP] = bump;
    let next = 0;
    for (let s = bump - 1; s >= 0; s--) {
      const b = s * REC_WORDS;
      const klen = r[b + R_KEYLEN], vlen = r[b + R_VALLEN];
      if (r[b + R_USED] && klen >= 0 && klen <= this.keysize && vlen >= 0 && vlen <= this.blocksize) {
        const o = this.koff(s, klen);
        const hash = hashBytes(this.ksrc, o, klen);
        r[b + R_HASH] = hash;
        this.tableInsert(hash, s);
        h[COUNT]++;
        if (this.purgeLru) this.lruPushHead(s);
        const e = this.rf[s * REC_F64 + R_EXP_F64];
        if (e !== 0 && (next === 0 || e < next)) next = e;
      } else {
        r[b + R_USED] = 0;
        r[b + R_NEXT] = h[FREE];
        h[FREE] = s + 1;
      }
    }
    this.hf[F_NEXT_EXPIRY] = next;
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
    if (typeof by === "number" && !Number.isSafeInteger(by)) throw new CacheError(`cache increment must be an integer: got ${by}`);
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
    if (typeof by === "number" && !Number.isSafeInteger(by)) throw new CacheError(`cache decrement must be an integer: got ${by}`);
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

  /** Pid holding the cache's writer lock, 0 when free (for the stats `locks` view). */
  lockHolder(): number {
    return Atomics.load(this.h, LOCK);
  }

  /** Frees the writer lock if `pid` (a reaped child) held it, repairing what it was writing. */
  releaseIfHeldBy(pid: number): boolean {
    if (pid === myPid || Atomics.compareExchange(this.h, LOCK, pid, myPid) !== pid) return false;
    if (Atomics.load(this.h, SEQ) & 1) {
      this.rebuild();
      Atomics.add(this.h, SEQ, 1);
    }
    this.unlockOnly();
    return true;
  }
}

function validateConfig(cfg: CacheConfig): void {
  const bad = (what: string, v: unknown) => new CacheError(`cache ${what}: got ${JSON.stringify(v)}`);
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

// ---- --cache2 parsing ------------------------------------------------------------

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

// ---- named caches and uWSGI's positional functions ------------------------------

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
